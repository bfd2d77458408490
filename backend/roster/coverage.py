"""Coverage of the duty plan: when a partner city has help for an emergency, and its gaps.

The rule (issue 13, published with the planning rules): a city is **covered** for an
emergency category at an instant when at least one active business with one of the
category's trades is available then by the search's own rules (opening hours,
emergency hours, roster shifts for one of the category's trades: see
:mod:`backend.hours.availability`) and the city centre lies within both that
business's service radius and the city's ``coverage_km`` (great-circle distance, as
the search measures it; never beyond ``MAX_SERVICE_RADIUS_KM``, the search's reach).
Businesses of every guild association count; like the search, only listed ones
(``Business.listed``: active and not withheld). A **gap** is a maximal span of minutes
that is not covered; advice-only categories (``gasgeruch``) have none.

Coverage is computed by intervals: each business's open intervals (its compiled hours)
and shifts are merged per category, and the gaps are the complement within the
planned period. Judging an instant at the start of its minute, as a search for that
minute does, an interval [s, e) covers exactly the minutes from ceil(s) to ceil(e).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from backend.businesses.models import Business, BusinessTrade
from backend.extensions import db
from backend.geo.distance import bounding_box, distances_from
from backend.hours import BERLIN, merge_intervals
from backend.hours.availability import HoursSpec, Interval, schedules
from backend.organisations.models import PartnerCity
from backend.reference.catalogue import EmergencyRef, catalogue
from backend.roster.models import RosterShift

_MINUTE = timedelta(minutes=1)
# The longest period one gap report covers (a year and a day: a leap year's plan).
MAX_PERIOD_DAYS = 367
DEFAULT_COVERAGE_KM = 25.0


class CoverageError(ValueError):
    """A period or city that cannot be planned, with a message for the operator."""


@dataclass(frozen=True)
class Gap:
    """A maximal span [start, end) in which ``city`` has no help for ``emergency``."""

    city: str
    emergency: str
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        """Length of the gap in minutes."""
        return _span_minutes(self.start, self.end)


@dataclass(frozen=True)
class Provider:
    """An active business near a city: its hours, trades and shifts by trade."""

    business_id: int
    distance_km: float
    spec: HoursSpec
    trade_ids: frozenset[int]
    shifts: tuple[tuple[int, datetime, datetime], ...] = field(default=())


@dataclass(frozen=True)
class CityCoverage:
    """One city's gaps and covered share per emergency category over one period."""

    city: PartnerCity
    start: datetime
    end: datetime
    gaps: dict[str, list[Gap]]

    def score(self, emergency: str) -> float:
        """Share of the period covered for ``emergency`` (1.0 = no gap)."""
        total = _span_minutes(self.start, self.end)
        missing = sum(gap.minutes for gap in self.gaps.get(emergency, ()))
        return 1.0 - missing / total if total else 1.0


def coverage_km_for_population(inhabitants: int | None) -> float:
    """Default coverage distance from a town's size class (10/16/25 km, 25 when unknown)."""
    if inhabitants is None:
        return DEFAULT_COVERAGE_KM
    if inhabitants > 80_000:
        return 10.0
    return 16.0 if inhabitants >= 20_000 else DEFAULT_COVERAGE_KM


def period_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """From ``first_day`` 00:00 to ``last_day`` 24:00 Europe/Berlin, as aware datetimes."""
    if last_day < first_day:
        raise CoverageError(f"The period ends ({last_day}) before it starts ({first_day}).")
    if (last_day - first_day).days >= MAX_PERIOD_DAYS:
        raise CoverageError(f"A period may span at most {MAX_PERIOD_DAYS} days.")
    start = datetime.combine(first_day, time(0), BERLIN)
    end = datetime.combine(last_day + timedelta(days=1), time(0), BERLIN)
    return start, end


def coverage_reach_km(city: PartnerCity) -> float:
    """How far from the centre a business may be to cover the city."""
    return min(city.coverage_km, current_app.config["MAX_SERVICE_RADIUS_KM"])


def providers_near(city: PartnerCity, start: datetime, end: datetime) -> list[Provider]:
    """Listed businesses whose service radius and the city's reach include the centre.

    Their shifts overlapping [start, end) come along (every trade; categories pick).
    """
    reach = coverage_reach_km(city)
    min_lat, max_lat, min_lon, max_lon = bounding_box(city.lat, city.lon, reach)
    distance_km = distances_from(city.lat, city.lon)
    rows = db.session.execute(
        select(
            Business.id, Business.lat, Business.lon, Business.service_radius_km,
            Business.land, Business.opening_hours, Business.emergency_hours,
        ).where(
            Business.listed,  # the search's one visibility rule
            Business.lat.between(min_lat, max_lat),
            Business.lon.between(min_lon, max_lon),
        )
    )  # fmt: skip
    near = {}
    for business_id, lat, lon, radius, land, opening, emergency in rows:
        distance = distance_km(lat, lon)
        if distance <= reach and distance <= radius:
            near[business_id] = (distance, HoursSpec(land, opening, emergency))
    if not near:
        return []
    trades: dict[int, set[int]] = {}
    for business_id, trade_id in db.session.execute(
        select(BusinessTrade.business_id, BusinessTrade.trade_id).where(
            BusinessTrade.business_id.in_(near)
        )
    ):
        trades.setdefault(business_id, set()).add(trade_id)
    shifts: dict[int, list[tuple[int, datetime, datetime]]] = {}
    for business_id, trade_id, starts_at, ends_at in db.session.execute(
        select(
            RosterShift.business_id, RosterShift.trade_id, RosterShift.starts_at,
            RosterShift.ends_at,
        ).where(
            RosterShift.business_id.in_(near),
            RosterShift.ends_at > start,
            RosterShift.starts_at < end,
        )
    ):  # fmt: skip
        shifts.setdefault(business_id, []).append((trade_id, starts_at, ends_at))
    return [
        Provider(
            business_id,
            distance,
            spec,
            frozenset(trades.get(business_id, ())),
            tuple(sorted(shifts.get(business_id, ()))),
        )
        for business_id, (distance, spec) in sorted(near.items())
    ]


def covered_intervals(
    providers: Iterable[Provider], trade_ids: Iterable[int], start: datetime, end: datetime
) -> list[Interval]:
    """The merged spans of [start, end) in which one of ``providers`` helps with the trades.

    A provider counts when it has one of the trades; then its opening and emergency
    hours and its shifts for one of the trades make it available. Each span is
    rounded to whole minutes as a search for each minute would judge it.
    """
    wanted = frozenset(trade_ids)
    pieces: list[Interval] = []
    hours_done: set[HoursSpec] = set()  # businesses often share their hours
    for provider in providers:
        if not provider.trade_ids & wanted:
            continue
        if provider.spec not in hours_done:
            hours_done.add(provider.spec)
            for schedule in schedules(provider.spec):
                if schedule.always_open:
                    return [(start.astimezone(BERLIN), end.astimezone(BERLIN))]
                pieces.extend(schedule.open_intervals(start, end))
        pieces.extend(
            (max(s, start), min(e, end))
            for trade_id, s, e in provider.shifts
            if trade_id in wanted and s < end and e > start
        )
    rounded = [(_ceil_minute(s), _ceil_minute(e)) for s, e in pieces]
    return merge_intervals(rounded)


def gaps_in(covered: list[Interval], start: datetime, end: datetime) -> list[Interval]:
    """The complement of merged, sorted ``covered`` within [start, end)."""
    gaps, cursor = [], start.astimezone(UTC)
    for low, high in covered:
        if low.astimezone(UTC) > cursor:
            gaps.append((cursor, low.astimezone(UTC)))
        cursor = max(cursor, high.astimezone(UTC))
    if cursor < end.astimezone(UTC):
        gaps.append((cursor, end.astimezone(UTC)))
    return [(low.astimezone(BERLIN), high.astimezone(BERLIN)) for low, high in gaps]


def city_coverage(city: PartnerCity, start: datetime, end: datetime) -> CityCoverage:
    """Gaps of ``city`` for every emergency category with trades over [start, end)."""
    providers = providers_near(city, start, end)
    gaps = {}
    for category in catalogue().emergencies:
        gaps[category.slug] = category_gaps(city.slug, category, providers, start, end)
    return CityCoverage(city, start, end, gaps)


def category_gaps(
    city_slug: str,
    category: EmergencyRef,
    providers: list[Provider],
    start: datetime,
    end: datetime,
) -> list[Gap]:
    """The gaps of one category; none for advice-only categories (no trades)."""
    if not category.trades:
        return []
    covered = covered_intervals(providers, (t.id for t in category.trades), start, end)
    return [Gap(city_slug, category.slug, low, high) for low, high in gaps_in(covered, start, end)]


def find_gaps(first_day: date, last_day: date, city_slug: str | None = None) -> list[Gap]:
    """Every gap of the active partner cities (or one city), sorted by city, emergency, start."""
    start, end = period_bounds(first_day, last_day)
    gaps = []
    for city in partner_cities(city_slug):
        for found in city_coverage(city, start, end).gaps.values():
            gaps.extend(found)
    return sorted(gaps, key=lambda gap: (gap.city, gap.emergency, gap.start.astimezone(UTC)))


def partner_cities(city_slug: str | None = None) -> list[PartnerCity]:
    """The active partner cities by slug, or the one named (which must exist)."""
    statement = select(PartnerCity).order_by(PartnerCity.slug)
    if city_slug is None:
        return list(db.session.scalars(statement.where(PartnerCity.active.is_(True))))
    city = db.session.scalar(statement.where(PartnerCity.slug == city_slug))
    if city is None:
        known = ", ".join(db.session.scalars(select(PartnerCity.slug).order_by(PartnerCity.slug)))
        raise CoverageError(f"Unknown city '{city_slug}' (known: {known or 'none yet'}).")
    return [city]


def _ceil_minute(value: datetime) -> datetime:
    """``value`` rounded up to a whole minute (UTC: Berlin's offsets are whole hours)."""
    instant = value.astimezone(UTC)
    floor = instant.replace(second=0, microsecond=0)
    return floor if floor == instant else floor + _MINUTE


def _span_minutes(start: datetime, end: datetime) -> int:
    """Minutes from ``start`` to ``end`` by instant (Berlin datetimes subtract by wall clock)."""
    return int((end.astimezone(UTC) - start.astimezone(UTC)) / _MINUTE)
