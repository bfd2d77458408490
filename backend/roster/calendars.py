"""Duty calendars as RFC 5545 ICS feeds: per business (secret link) and per city (public).

Every event carries its time in Europe/Berlin with the zone's VTIMEZONE, so calendar
programs show the shift at the right wall-clock time on both sides of a
daylight-saving switch.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone
from sqlalchemy import select

from backend.audit.operations import record_change
from backend.businesses.models import Business
from backend.businesses.phones import format_national
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.models import PartnerCity
from backend.reference.catalogue import trades_by_slug
from backend.roster.coverage import providers_near
from backend.roster.models import CalendarToken, RosterShift

PRODID = "-//Handwerker-Schnellruf//Notdienstplan//DE"
# What a feed shows: shifts that ended at most this long ago, up to this far ahead.
PAST = timedelta(days=14)
AHEAD = timedelta(days=180)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_calendar_token(business: Business, *, actor: str) -> str:
    """A new secret calendar link token for ``business``; any older link stops working."""
    token = secrets.token_urlsafe(24)
    found = db.session.scalar(select(CalendarToken).where(CalendarToken.business_id == business.id))
    if found is None:
        found = CalendarToken(business=business, token_sha256=_digest(token))
        db.session.add(found)
        action = "create"
    else:
        found.token_sha256, found.created_at, action = _digest(token), datetime.now(UTC), "reset"
    db.session.flush()
    record_change(actor, action, found, {"business_id": business.id})
    return token


def business_for_token(token: str) -> Business | None:
    """The active business whose calendar link carries ``token``, if any."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Business)
        .join(CalendarToken, CalendarToken.business_id == Business.id)
        .where(CalendarToken.token_sha256 == _digest(token), Business.active.is_(True))
    )


def business_calendar(business: Business, now: datetime) -> bytes:
    """The shifts of ``business`` from two weeks ago to half a year ahead."""
    shifts = db.session.scalars(
        _window(select(RosterShift).where(RosterShift.business_id == business.id), now)
    ).all()
    calendar = _calendar(f"Notdienst {business.name}", now)
    names = _trade_names()
    for shift in shifts:
        summary = f"Notdienst {names.get(shift.trade_id, '')}".strip()
        calendar.add_component(_event(shift, f"shift-{shift.id}", summary, "", now))
    return calendar.to_ical()


def city_calendar(city: PartnerCity, now: datetime) -> bytes:
    """Who is on duty for ``city``: shifts of every business that covers its centre."""
    start, end = now - PAST, now + AHEAD
    providers = {p.business_id for p in providers_near(city, start, end)}
    calendar = _calendar(f"Handwerker-Notdienst {city.name}", now)
    if providers:
        rows = db.session.execute(
            _window(
                select(RosterShift, Business.name, Business.emergency_phone, Business.phone)
                .join(Business)
                .where(RosterShift.business_id.in_(providers)),
                now,
            )
        ).all()
        names = _trade_names()
        for shift, name, emergency_phone, phone in rows:
            number = format_national(emergency_phone or phone)
            summary = f"{names.get(shift.trade_id, '')}: {name}, Tel. {number}"
            description = f"Notdienst für {city.name}. Bei Gefahr: Notruf 112."
            uid = f"shift-{shift.id}-{city.slug}"
            calendar.add_component(_event(shift, uid, summary, description, now))
    return calendar.to_ical()


def _window(statement, now: datetime):
    return statement.where(
        RosterShift.ends_at > now - PAST, RosterShift.starts_at < now + AHEAD
    ).order_by(RosterShift.starts_at, RosterShift.id)


def _trade_names() -> dict[int, str]:
    return {trade.id: trade.name_de for trade in trades_by_slug().values()}


def _calendar(name: str, now: datetime) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    # The zone's rules from a year before to a year after the feed's window, first.
    first, last = (now - PAST - timedelta(days=366)).date(), (now + AHEAD * 2).date()
    calendar.add_component(Timezone.from_tzid("Europe/Berlin", first_date=first, last_date=last))
    return calendar


def _event(shift: RosterShift, uid: str, summary: str, description: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@handwerker-schnellruf")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", shift.starts_at.astimezone(BERLIN))
    event.add("dtend", shift.ends_at.astimezone(BERLIN))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("transp", "OPAQUE")
    return event
