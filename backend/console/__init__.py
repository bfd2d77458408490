"""The guild console at /console/: sign-in, accounts, and the pages other areas add.

Other packages build their pages with ``backend.console.blueprint.console_blueprint``,
protect them with ``backend.console.access.requires`` and the ``may_*`` helpers, add
navigation entries with ``add_nav_item`` and extend ``console/base.html``.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, g, request
from flask_login import current_user

# Modules with routes of the core blueprint.
from backend.console import account, admin_orgs, admin_staff, auth, grants, home, reset  # noqa: F401
from backend.console.blueprint import NavItem, add_nav_item, nav_items
from backend.console.core import bp
from backend.console.i18n import current_lang, other_lang, switch_url, tr
from backend.console.signin import login_manager
from backend.extensions import csrf
from backend.hours import BERLIN

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _configure_cookies(app: Flask) -> None:
    """HttpOnly, SameSite=Lax; Secure with the ``__Host-`` prefix outside debug and tests."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    # Flask's default is no SameSite attribute at all.
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    if not app.debug and not app.testing:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["SESSION_COOKIE_NAME"] = "__Host-schnellruf"
        app.config["SESSION_COOKIE_PATH"] = "/"
        app.config["SESSION_COOKIE_DOMAIN"] = False
    # Flask-WTF's token lives as long as the session (which the server limits).
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    # Checked for every unsafe request under /console/ below, not for the API and widgets.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False


# Per-request state the console keeps on ``g``.
REQUEST_STATE = (
    "_login_user", "staff_session", "console_lang", "console_sign_in_failed", "csrf_token",
)  # fmt: skip


def _fresh_request_state() -> None:
    """Forget the previous request's signed-in user and language.

    ``g`` belongs to the application context, which several requests share when one is
    pushed around them (tests, scripts); the person must be loaded from each request.
    """
    for name in REQUEST_STATE:
        g.pop(name, None)


def _protect_console_forms() -> None:
    if not current_app.config["WTF_CSRF_ENABLED"]:
        return
    if request.method in UNSAFE_METHODS and request.path.startswith("/console/"):
        csrf.protect()


def _template_context() -> dict:
    if not request.path.startswith("/console"):
        return {}
    user = current_user if current_user.is_authenticated else None
    return {
        "tr": tr,
        "lang": current_lang(),
        "other_lang": other_lang(),
        "switch_url": switch_url(),
        "staff": user,
        "nav": nav_items(user.role) if user else [],
    }


def berlin_time(value: datetime | None) -> str:
    """A stored UTC time as Berlin local time, e.g. ``01.12.2026 20:15``."""
    return value.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M") if value else "–"


def init_app(app: Flask) -> None:
    """Sign-in, CSRF, the session cookie and the console core pages."""
    _configure_cookies(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    app.before_request(_fresh_request_state)
    app.before_request(_protect_console_forms)
    app.context_processor(_template_context)
    app.add_template_filter(berlin_time, "berlin")
    app.register_blueprint(bp)
    for item in (
        NavItem("console.home", "Start", "Home", order=0),
        NavItem("console.admin_guilds", "Verbände", "Associations", ("admin",), order=70),
        NavItem("console.admin_cities", "Städte", "Cities", ("admin",), order=71),
        NavItem("console.admin_staff", "Konten", "Accounts", ("admin",), order=72),
        NavItem("console.account", "Mein Konto", "My account", order=90),
    ):
        add_nav_item(app, item)
