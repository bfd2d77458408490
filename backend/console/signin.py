"""Signing in and out: Flask-Login on top of server-side session records.

The signed cookie holds a random session token; ``staff_sessions`` holds its hash,
so ending a session (sign-out, "end all", deactivation) takes effect at once. A
session ends after ``CONSOLE_IDLE_MINUTES`` without a request and after
``CONSOLE_ABSOLUTE_HOURS`` at most.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, login_user, logout_user

from backend.extensions import db
from backend.organisations import sessions as records
from backend.organisations.accounts import record_sign_in
from backend.organisations.models import StaffSession, StaffUser

login_manager = LoginManager()
login_manager.login_view = "console.login"
# Server-side sessions replace Flask-Login's IP/agent fingerprint (phones change address).
login_manager.session_protection = None


def session_limits() -> dict[str, timedelta]:
    """The idle and absolute limits of a console session from the configuration."""
    config = current_app.config
    return {
        "idle": timedelta(minutes=float(config.get("CONSOLE_IDLE_MINUTES", 30))),
        "absolute": timedelta(hours=float(config.get("CONSOLE_ABSOLUTE_HOURS", 12))),
    }


@login_manager.user_loader
def _load_user(user_id: str) -> StaffUser | None:
    """The user of a live session record matching the cookie's token, else None."""
    token = session.get("sid")
    if not token:
        return None
    record = records.find_live_session(token, **session_limits())
    if record is None or str(record.user_id) != user_id:
        session.pop("sid", None)
        session.pop("_user_id", None)
        session["session_ended"] = True  # the sign-in page says why
        return None
    g.staff_session = record
    return record.user


@login_manager.unauthorized_handler
def _unauthorized():
    return redirect(url_for("console.login", next=request.full_path.rstrip("?")))


def current_session() -> StaffSession | None:
    """The session record of this request (after the user was loaded)."""
    return g.get("staff_session")


def _empty_cookie() -> None:
    """Empty the session cookie but for the language; the CSRF token is made anew."""
    lang = session.get("lang")
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    if lang:
        session["lang"] = lang


def complete_sign_in(user: StaffUser) -> None:
    """Start a session for ``user`` (password and, if enrolled, second factor checked).

    The cookie is emptied first (keeping only the language) so that nothing from before
    the sign-in carries over. Commits the new session record.
    """
    _empty_cookie()
    record, token = records.start_session(user, request.user_agent.string or "")
    session["sid"] = token
    login_user(user)
    record_sign_in(user)
    db.session.commit()
    g.staff_session = record


def sign_out() -> None:
    """End this browser's session record and empty the cookie."""
    token = session.get("sid")
    if token:
        records.end_session(token)
        db.session.commit()
    logout_user()
    _empty_cookie()
