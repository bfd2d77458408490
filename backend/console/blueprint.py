"""Console blueprints: every page under /console/ is built on :func:`console_blueprint`.

A blueprint made here renders errors as console pages (not problem+json), forbids
caching of its pages and loads the signed-in person before the view runs. CSRF is
checked for every unsafe request under /console/ (see backend.console.init_app).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, render_template
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from backend.console.i18n import tr
from backend.extensions import db

# Titles of the error pages: (German, English).
ERROR_TITLES = {
    400: ("Ungültige Anfrage", "Bad request"),
    403: ("Kein Zugriff", "Access denied"),
    404: ("Nicht gefunden", "Not found"),
    405: ("Nicht erlaubt", "Method not allowed"),
    429: ("Zu viele Versuche", "Too many attempts"),
}


def console_blueprint(name: str, import_name: str, url_prefix: str = "", **options) -> Blueprint:
    """A blueprint for pages under ``/console`` + ``url_prefix`` with the console's rules."""
    bp = Blueprint(name, import_name, url_prefix="/console" + url_prefix, **options)
    bp.register_error_handler(HTTPException, render_error)
    bp.before_request(_load_staff)
    bp.after_request(_no_store)
    return bp


def render_error(exc: HTTPException) -> tuple[str, int]:
    """An error as a console page in the person's language."""
    code = exc.code or 500
    title = tr(*ERROR_TITLES.get(code, ("Fehler", "Error")))
    if isinstance(exc, CSRFError):
        detail = tr(
            "Das Formular ist abgelaufen oder wurde nicht von dieser Seite gesendet. "
            "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.",
            "The form has expired or was not sent from this page. "
            "Please reload the page and try again.",
        )
    elif code == 403:
        detail = tr(
            "Ihr Konto hat keine Berechtigung für diese Seite oder diese Daten.",
            "Your account is not allowed to see this page or these data.",
        )
    elif code == 404:
        detail = tr("Diese Seite gibt es nicht.", "This page does not exist.")
    elif code == 429:
        detail = tr(
            "Zu viele Versuche. Bitte warten Sie einige Minuten.",
            "Too many attempts. Please wait a few minutes.",
        )
    else:
        detail = exc.description or title
    response = render_template("console/error.html", title=title, detail=detail, code=code)
    return response, code


def _load_staff() -> None:
    """Load (and so check) the session before the view; commit what that changed.

    Flask-Login loads the user lazily; loading it here keeps session housekeeping
    (last seen, ending an expired session) out of the view's unit of work.
    """
    _ = current_user.is_authenticated
    if db.session.dirty or db.session.new:
        db.session.commit()


def _no_store(response: Response) -> Response:
    """Console pages carry personal and business data: never stored by caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class NavItem:
    """An entry of the console's main navigation."""

    endpoint: str
    label_de: str
    label_en: str
    roles: tuple[str, ...] = ()  # empty: every role
    order: int = 50


def add_nav_item(app: Flask, item: NavItem) -> None:
    """Add an entry to the navigation (call it from your package's ``init_app``)."""
    app.extensions.setdefault("console_nav", []).append(item)


def nav_items(role: str) -> list[NavItem]:
    """The navigation entries for ``role``, in order."""
    items = current_app.extensions.get("console_nav", [])
    return sorted((i for i in items if not i.roles or role in i.roles), key=lambda i: i.order)
