"""ICS feeds of the duty plan: ``/calendar/betrieb/<token>.ics`` and ``/calendar/stadt/<slug>.ics``.

A business's feed lies under a secret token (only its SHA-256 is stored); whoever has
the link can reset it with ``POST /calendar/betrieb/<token>/reset``, which answers
the new link and ends the old one. Staff make links with ``flask roster calendar-link``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, jsonify, url_for
from sqlalchemy import select

from backend.core.errors import ProblemError
from backend.extensions import db, limiter
from backend.organisations.models import PartnerCity
from backend.roster.calendars import (
    business_calendar,
    business_for_token,
    city_calendar,
    issue_calendar_token,
)

bp = Blueprint("roster_calendar", __name__, url_prefix="/calendar")
ICS_MIME = "text/calendar"


def init_app(app: Flask) -> None:
    """Register the calendar routes."""
    app.register_blueprint(bp)


def calendar_link(token: str) -> str:
    """The absolute URL of a business's feed."""
    return url_for("roster_calendar.business_feed", token=token, _external=True)


@bp.get("/betrieb/<token>.ics")
@limiter.limit("60/minute")
def business_feed(token: str) -> Response:
    """The shifts of the business whose secret link this is."""
    business = business_for_token(token)
    if business is None:
        raise _unknown_link()
    body = business_calendar(business, datetime.now(UTC))
    return _ics(body, f"notdienst-{business.ref}.ics", "private, max-age=300")


@bp.post("/betrieb/<token>/reset")
@limiter.limit("10/hour")
def reset_link(token: str) -> Response:
    """A new secret link for the business; the old one stops working at once."""
    business = business_for_token(token)
    if business is None:
        raise _unknown_link()
    new_token = issue_calendar_token(business, actor=f"calendar-link:{business.ref}")
    db.session.commit()
    return jsonify({"calendar_url": calendar_link(new_token)})


@bp.get("/stadt/<slug>.ics")
def city_feed(slug: str) -> Response:
    """Who is on duty for the city: every shift of a business that covers its centre."""
    city = db.session.scalar(
        select(PartnerCity).where(PartnerCity.slug == slug, PartnerCity.active.is_(True))
    )
    if city is None:
        raise ProblemError(404, "Unknown city", f"No partner city '{slug}'.", parameter="city")
    body = city_calendar(city, datetime.now(UTC))
    return _ics(body, f"notdienst-{city.slug}.ics", "public, max-age=300")


def _unknown_link() -> ProblemError:
    return ProblemError(
        404, "Unknown calendar link",
        "This calendar link does not exist or was reset; ask your guild for the new one.",
    )  # fmt: skip


def _ics(body: bytes, filename: str, cache_control: str) -> Response:
    return Response(
        body,
        mimetype=ICS_MIME,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": cache_control,
        },
    )
