"""Printed and plain-text duty notices of a partner city, for town halls and newspapers.

- ``GET /print/<city>/notdienst.pdf?from=YYYY-MM-DD&days=7``: the A4 Aushang;
- ``GET /print/<city>/wochenende.txt[?from=YYYY-MM-DD]``: the coming weekend's duty;
- ``GET /print/<city>/planungsregeln.txt``: the planning rules with the current scores.

Bad parameters are RFC 9457 problems naming the parameter, never a 500.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import quote

from flask import Blueprint, Flask, Response, request, url_for
from sqlalchemy import select

from backend.core.errors import ProblemError
from backend.core.limits import search_limit
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.models import PartnerCity
from backend.roster import calendar_views, swap_views
from backend.roster.aushang import FontMissing, aushang_pdf
from backend.roster.gazette import rules_text, weekend_text

bp = Blueprint("roster_print", __name__, url_prefix="/print")
MAX_DAYS = 14
CACHE_CONTROL = "public, max-age=300"


def init_app(app: Flask) -> None:
    """Register the print and calendar routes."""
    app.register_blueprint(bp)
    calendar_views.init_app(app)
    swap_views.init_app(app)


@bp.get("/<slug>/notdienst.pdf")
@search_limit
def aushang(slug: str) -> Response:
    """The printable Aushang of ``slug`` for ``days`` days from ``from`` (A4 PDF)."""
    city = _city(slug)
    first_day = _day_parameter("from")
    days = _days_parameter()
    issued = datetime.now(UTC).astimezone(BERLIN)
    try:
        body = aushang_pdf(city, first_day, days, app_link(city), issued)
    except FontMissing as error:
        raise ProblemError(503, "Font missing", str(error)) from None
    filename = f"notdienst-{city.slug}-{first_day.isoformat()}.pdf"
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": CACHE_CONTROL,
        },
    )


@bp.get("/<slug>/wochenende.txt")
def weekend(slug: str) -> Response:
    """The coming weekend's duty of ``slug`` as plain text for the paper and gazette."""
    city = _city(slug)
    return _text(weekend_text(city, _day_parameter("from")))


@bp.get("/<slug>/planungsregeln.txt")
def rules(slug: str) -> Response:
    """The planning rules with the coverage and balance of the coming weeks."""
    city = _city(slug)
    return _text(rules_text(city, _day_parameter("from")))


def app_link(city: PartnerCity) -> str:
    """The resident app with the town preselected (the QR code's target)."""
    return f"{url_for('web.index', _external=True)}?stadt={quote(city.slug)}"


def _text(body: str) -> Response:
    return Response(body, mimetype="text/plain", headers={"Cache-Control": CACHE_CONTROL})


def _city(slug: str) -> PartnerCity:
    city = db.session.scalar(
        select(PartnerCity).where(PartnerCity.slug == slug, PartnerCity.active.is_(True))
    )
    if city is None:
        raise ProblemError(404, "Unknown city", f"No partner city '{slug}'.", parameter="city")
    return city


def _day_parameter(name: str) -> date:
    """The date in query parameter ``name`` (YYYY-MM-DD), today in Berlin when absent."""
    raw = request.args.get(name, "")
    if not raw:
        return datetime.now(UTC).astimezone(BERLIN).date()
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise ProblemError(400, "Invalid date", f"'{raw}' is not a date YYYY-MM-DD.", parameter=name)


def _days_parameter() -> int:
    raw = request.args.get("days", "7")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_DAYS:
        raise ProblemError(
            400, "Invalid number of days",
            f"'days' must be a whole number from 1 to {MAX_DAYS}, not '{raw}'.",
            parameter="days",
        )  # fmt: skip
    return int(raw)
