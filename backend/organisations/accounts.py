"""Staff sign-in data: passwords, the TOTP second factor, recovery codes, deactivation."""

from __future__ import annotations

from sqlalchemy import select

from backend.audit.operations import record_change
from backend.core.types import utcnow
from backend.extensions import db
from backend.organisations import mfa
from backend.organisations.models import StaffUser
from backend.organisations.passwords import (
    dummy_verify,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from backend.organisations.sessions import end_all_sessions


class AccountError(ValueError):
    """A rejected account change, with a German and an English message."""

    def __init__(self, de: str, en: str) -> None:
        super().__init__(en)
        self.de = de
        self.en = en


def find_by_email(email: str) -> StaffUser | None:
    """The account with this e-mail address (any case), or None."""
    return db.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))


def check_password(email: str, password: str) -> StaffUser | None:
    """The active account if ``password`` is right; None otherwise, in about the same time.

    Unknown and deactivated accounts cost one hash check too, so that timing does not
    tell which accounts exist. An outdated hash is replaced (flushed, not committed).
    """
    user = find_by_email(email)
    if user is None or not user.active or not user.password_hash:
        dummy_verify(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.flush()
    return user


def set_password(user: StaffUser, new_password: str, *, actor: str) -> None:
    """Replace the password (checked against the rules) and clear must-change."""
    problem = password_problem(new_password, email=user.email)
    if problem:
        raise AccountError(*problem)
    if user.password_hash and verify_password(user.password_hash, new_password):
        raise AccountError(
            "Das neue Passwort muss sich vom bisherigen unterscheiden.",
            "The new password must differ from the current one.",
        )
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    db.session.flush()
    record_change(actor, "set_password", user, {})


def needs_totp_enrolment(user: StaffUser) -> bool:
    """Whether the user must enrol a second factor before using the console."""
    return user.totp_required and not user.totp_enabled


def start_totp_enrolment(user: StaffUser) -> str:
    """A new secret awaiting confirmation (kept until a code from it is confirmed)."""
    if user.totp_enabled:
        raise AccountError(
            "Der zweite Faktor ist bereits eingerichtet.", "The second factor is already set up."
        )
    if not user.totp_secret:
        user.totp_secret = mfa.new_totp_secret()
        db.session.flush()
    return user.totp_secret


def confirm_totp_enrolment(user: StaffUser, code: str, *, actor: str) -> list[str]:
    """Enable TOTP if ``code`` is valid for the pending secret; returns new recovery codes."""
    if not user.totp_secret or user.totp_enabled:
        raise AccountError(
            "Keine Einrichtung begonnen.", "No set-up of a second factor is in progress."
        )
    step = mfa.accepted_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        raise AccountError(
            "Der Code stimmt nicht. Bitte den aktuellen sechsstelligen Code eingeben.",
            "The code is not right. Please enter the current six-digit code.",
        )
    user.totp_enabled = True
    user.totp_last_step = step
    record_change(actor, "enable_totp", user, {})
    return regenerate_recovery_codes(user, actor=actor)


def disable_totp(user: StaffUser, *, actor: str) -> None:
    """Turn the second factor off (only for roles that may go without: city editors)."""
    if user.totp_required:
        raise AccountError(
            "Für diese Rolle ist der zweite Faktor Pflicht.",
            "This role must keep its second factor.",
        )
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    user.recovery_code_hashes = []
    db.session.flush()
    record_change(actor, "disable_totp", user, {})


def regenerate_recovery_codes(user: StaffUser, *, actor: str) -> list[str]:
    """Replace all recovery codes; the new ones are returned to be shown once."""
    codes = mfa.new_recovery_codes()
    user.recovery_code_hashes = [mfa.hash_recovery_code(code) for code in codes]
    db.session.flush()
    record_change(actor, "new_recovery_codes", user, {"count": len(codes)})
    return codes


def check_second_factor(user: StaffUser, code: str) -> str | None:
    """``"totp"`` or ``"recovery"`` if ``code`` is accepted (and used up), else None."""
    if not user.totp_enabled or not user.totp_secret:
        return None
    step = mfa.accepted_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        db.session.flush()
        return "totp"
    hashed = mfa.hash_recovery_code(code)
    if len(hashed) and hashed in (user.recovery_code_hashes or []):
        user.recovery_code_hashes = [h for h in user.recovery_code_hashes if h != hashed]
        db.session.flush()
        record_change(user.email, "use_recovery_code", user, {})
        return "recovery"
    return None


def record_sign_in(user: StaffUser) -> None:
    """Note the time of a completed sign-in."""
    user.last_login_at = utcnow()
    db.session.flush()


def set_active(user: StaffUser, active: bool, *, actor: str) -> None:
    """Deactivate or reactivate an account (deactivation also ends its sessions)."""
    user.active = active
    if not active:
        end_all_sessions(user)
    db.session.flush()
    record_change(actor, "activate" if active else "deactivate", user, {"active": active})
