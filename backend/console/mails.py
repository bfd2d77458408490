"""The console's e-mails (German first, then English), sent via backend.mail."""

from __future__ import annotations

from flask import current_app, url_for

from backend.mail.operations import send_message
from backend.organisations.links import make_token
from backend.organisations.models import StaffUser


def _absolute(endpoint: str, **values: str) -> str:
    """A link for an e-mail under ``CONSOLE_BASE_URL``, else ``PUBLIC_BASE_URL``.

    Never the request's ``Host``: whoever asks for a reset could otherwise send the
    account's owner a link to a host of their own, and read the token off it.
    """
    config = current_app.config
    base = (config.get("CONSOLE_BASE_URL") or config["PUBLIC_BASE_URL"]).rstrip("/")
    return base + url_for(endpoint, **values)


def send_reset_mail(user: StaffUser) -> str:
    """Send the password-reset link; returns the Message-ID."""
    link = _absolute("console.reset_password", token=make_token(user, "reset"))
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    text = (
        f"Guten Tag {user.display_name},\n\n"
        "für Ihr Konto in der Konsole von Handwerker-Schnellruf wurde ein neues Passwort "
        f"angefordert. Mit diesem Link legen Sie es fest (gültig {minutes} Minuten, "
        f"einmal):\n\n{link}\n\n"
        "Wenn Sie das nicht waren, ignorieren Sie diese E-Mail; Ihr Passwort bleibt.\n\n"
        "---\n\n"
        f"Hello {user.display_name},\n\n"
        "a new password was requested for your Handwerker-Schnellruf console account. "
        f"Set it with this link (valid for {minutes} minutes, once):\n\n{link}\n\n"
        "If this was not you, ignore this e-mail; your password stays as it is.\n"
    )
    return send_message(user.email, "Neues Passwort / New password – Handwerker-Schnellruf", text)


def send_invitation_mail(user: StaffUser, invited_by: StaffUser) -> str:
    """Send an invitation with a link to set the first password; returns the Message-ID."""
    link = _absolute("console.accept_invitation", token=make_token(user, "invite"))
    days = current_app.config["INVITATION_DAYS"]
    text = (
        f"Guten Tag {user.display_name},\n\n"
        f"{invited_by.display_name} lädt Sie in die Konsole von Handwerker-Schnellruf ein. "
        f"Mit diesem Link legen Sie Ihr Passwort fest (gültig {days} Tage):\n\n{link}\n\n"
        "Danach melden Sie sich an und richten, falls verlangt, eine Authenticator-App als "
        "zweiten Faktor ein.\n\n---\n\n"
        f"Hello {user.display_name},\n\n"
        f"{invited_by.display_name} invites you to the Handwerker-Schnellruf console. "
        f"Set your password with this link (valid for {days} days):\n\n{link}\n\n"
        "Then sign in and, where required, set up an authenticator app as second factor.\n"
    )
    return send_message(user.email, "Einladung / Invitation – Handwerker-Schnellruf Konsole", text)
