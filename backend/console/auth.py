"""Sign-in (password, then the second factor) and sign-out at /console/login."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlsplit

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from backend.console.access import setup_endpoint, staff
from backend.console.core import bp
from backend.console.forms import CodeForm, ConfirmForm, LoginForm
from backend.console.i18n import tr
from backend.console.signin import complete_sign_in, sign_out
from backend.extensions import db, limiter
from backend.organisations.accounts import check_password, check_second_factor
from backend.organisations.models import StaffUser

# Seconds between the password and the second factor before starting again.
PENDING_SECONDS = 300


def _account_key() -> str:
    """The limiter key of the account being signed in to (known or not: same treatment).

    Both steps count against one budget: the password step by the e-mail address typed,
    the code step by the address of the account waiting for its code. Hashed, so that
    Redis holds no addresses.
    """
    if request.endpoint == "console.login_code":
        user = _pending_user()
        email = user.email if user else ""
    else:
        email = (request.form.get("email") or "").strip().lower()
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _failed(_response: Response) -> bool:
    """Only failed attempts count (a colleague signing in often is no attack)."""
    return bool(g.get("console_sign_in_failed"))


def _limit(setting: str):
    return lambda: current_app.config[setting]


# Slower, then locked out: per account (whoever tries) and per address (whatever account).
per_account = limiter.limit(
    _limit("CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT"), key_func=_account_key, methods=["POST"],
    deduct_when=_failed, scope="console-sign-in-account",
)  # fmt: skip
per_address = limiter.limit(
    _limit("CONSOLE_SIGN_IN_LIMIT_PER_ADDRESS"), key_func=get_remote_address, methods=["POST"],
    deduct_when=_failed, scope="console-sign-in-address",
)  # fmt: skip


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path of the console itself (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/console/"):
            return target.rstrip("?")
    return url_for("console.home")


def _after_sign_in(user: StaffUser, target: str | None) -> Response:
    pending = setup_endpoint(user)
    return redirect(url_for(pending) if pending else _safe_next(target))


@bp.route("/login", methods=["GET", "POST"])
@per_address
@per_account
def login() -> Response | str:
    """First step: e-mail address and password; the same answer for every failure."""
    if staff() is not None:
        return _after_sign_in(staff(), request.args.get("next"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = check_password(form.email.data, form.password.data)
        if user is None:
            g.console_sign_in_failed = True
            error = tr(
                "E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist gesperrt.",
                "E-mail address or password is wrong, or the account is locked.",
            )
        elif user.totp_enabled:
            db.session.commit()  # a rehashed password
            session["pending_2fa"] = {"uid": user.id, "at": int(time.time())}
            return redirect(url_for("console.login_code", next=request.args.get("next")))
        else:
            complete_sign_in(user)
            return _after_sign_in(user, request.args.get("next"))
    expired = request.method == "GET" and session.pop("session_ended", False)
    return render_template("console/login.html", form=form, error=error, expired=expired)


def _pending_user() -> StaffUser | None:
    pending = session.get("pending_2fa")
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(StaffUser, pending.get("uid"))
    return user if user is not None and user.active else None


@bp.route("/login/code", methods=["GET", "POST"])
@per_address
@per_account
def login_code() -> Response | str:
    """Second step: a code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.pop("pending_2fa", None)
        return redirect(url_for("console.login"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        used = check_second_factor(user, form.code.data)
        if used is None:
            g.console_sign_in_failed = True
            db.session.rollback()
            error = tr(
                "Der Code stimmt nicht oder wurde schon verwendet.",
                "The code is not right or has been used already.",
            )
        else:
            session.pop("pending_2fa", None)
            complete_sign_in(user)
            return _after_sign_in(user, request.args.get("next"))
    return render_template("console/login_code.html", form=form, error=error)


@bp.post("/logout")
def logout() -> Response:
    """Sign out: this browser's session ends on the server too."""
    ConfirmForm()  # the CSRF token was checked for every POST under /console/
    sign_out()
    return redirect(url_for("console.login"))
