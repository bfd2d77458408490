"""Who a printed notice names: the businesses on duty per day (or weekend) and category.

The same rule as coverage (:mod:`.coverage`) decides who may be named: an active
business with one of the category's trades whose service radius and the city's
coverage distance include the town centre, of whatever guild. For a span it names
everyone on roster duty then, and always at least the two nearest businesses that
are available at some time in the span (the pharmacy rule: the nearest may never be
left out), nearest first, each with the times it can be reached within the span.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from backend.businesses.models import Business
from backend.businesses.phones import format_national
from backend.extensions import db
from backend.hours import BERLIN
from backend.hours.availability import Interval
from backend.organisations.models import PartnerCity
from backend.reference.catalogue import EmergencyRef, catalogue
from backend.roster.coverage import Provider, covered_intervals, providers_near

# How many businesses a notice names at least, and at most, per span and category.
AT_LEAST = 2
AT_MOST = 6


@dataclass(frozen=True)
class NoticeEntry:
    """One named business: who, which number, how far, and when it can be reached."""

    name: str
    phone_e164: str
    phone_display: str
    distance_km: float
    on_duty: bool
    reachable: list[Interval]


@dataclass(frozen=True)
class NoticeSection:
    """One category within one span: its entries (empty: nobody at all)."""

    category: EmergencyRef
    entries: list[NoticeEntry]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Berlin day ``day`` from 00:00 to 24:00."""
    start = datetime.combine(day, time(0), BERLIN)
    return start, datetime.combine(day + timedelta(days=1), time(0), BERLIN)


def coming_weekend(today: date) -> tuple[datetime, datetime]:
    """Friday 18:00 to Monday 07:00 of the weekend on or after ``today`` (Berlin).

    On Saturday and Sunday that is the current weekend.
    """
    friday = today + timedelta(days=4 - today.weekday())  # back to Friday on a weekend
    start = datetime.combine(friday, time(18), BERLIN)
    return start, datetime.combine(friday + timedelta(days=3), time(7), BERLIN)


def notice_sections(city: PartnerCity, start: datetime, end: datetime) -> list[NoticeSection]:
    """The entries of every category with trades for the span [start, end)."""
    providers = providers_near(city, start, end)
    contacts = _contacts([p.business_id for p in providers])
    sections = []
    for category in catalogue().emergencies:
        if category.trades:
            entries = _entries(category, providers, contacts, start, end)
            sections.append(NoticeSection(category, entries))
    return sections


def _entries(
    category: EmergencyRef,
    providers: list[Provider],
    contacts: dict[int, tuple[str, str]],
    start: datetime,
    end: datetime,
) -> list[NoticeEntry]:
    """On duty or reachable in the span, nearest first: all on duty, at least two."""
    wanted = {trade.id for trade in category.trades}
    found = []
    for provider in sorted(providers, key=lambda p: (p.distance_km, contacts[p.business_id][0])):
        if not provider.trade_ids & wanted:
            continue
        reachable = covered_intervals([provider], wanted, start, end)
        if not reachable:
            continue
        on_duty = any(
            trade_id in wanted and s < end and e > start for trade_id, s, e in provider.shifts
        )
        name, phone = contacts[provider.business_id]
        distance = round(provider.distance_km, 1)
        entry = NoticeEntry(name, phone, format_national(phone), distance, on_duty, reachable)
        found.append(entry)
    # The nearest AT_LEAST always; farther ones only while they are on duty.
    chosen = [entry for rank, entry in enumerate(found) if rank < AT_LEAST or entry.on_duty]
    return chosen[: max(AT_MOST, AT_LEAST)]


def _contacts(ids: list[int]) -> dict[int, tuple[str, str]]:
    """Name and the number to call in an emergency (emergency line, else main line)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Business.id, Business.name, Business.emergency_phone, Business.phone).where(
            Business.id.in_(ids)
        )
    )
    return {row[0]: (row[1], row[2] or row[3]) for row in rows}
