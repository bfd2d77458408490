"""Coverage and gaps of the duty plan, checked against an independent minute-by-minute count.

The brute force asks, for every minute of the period, the availability functions the
search uses (``is_open_by_hours``, ``shift_covers``) and the great-circle distance,
business by business; a second check asks ``find_help`` itself for every minute.
Random plans straddle Sachsen-Anhalt and Lower Saxony (holidays differ), both
daylight-saving switches, shifts over midnight, and radii on the boundary.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from backend.businesses.models import Business, BusinessTrade
from backend.extensions import db
from backend.geo.distance import great_circle_km
from backend.hours import BERLIN
from backend.hours.availability import HoursSpec, is_open_by_hours, shift_covers
from backend.organisations.models import PartnerCity
from backend.reference.catalogue import catalogue
from backend.roster.coverage import (
    coverage_km_for_population,
    find_gaps,
    period_bounds,
)
from backend.roster.models import RosterShift
from backend.search.operation import SearchRequest, find_help
from tests import factories

HALBERSTADT = (51.8958, 11.0467)
HOURS = (
    None,
    "Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off",
    "Mo-Su 22:00-06:00",
    "Sa,Su,PH 08:00-20:00",
    "Mo-Fr 17:00-22:00; Sa,Su,PH 08:00-20:00",
    "PH 10:00-14:00",
    "Su 01:00-04:00",
    "Mo-Su 02:00-03:00",
)
TRADES = ("klempner", "elektrotechniker", "installateur-heizungsbauer", "glaser")
# First days of two-day periods: autumn switch (25 Oct), Reformationstag (both Länder),
# Epiphany (ST only), Christmas, spring switch (28 Mar).
FIRST_DAYS = [
    date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 31), date(2027, 1, 5),
    date(2026, 12, 24), date(2027, 3, 27), date(2027, 3, 28),
]  # fmt: skip


def city(slug="halberstadt", lat=HALBERSTADT[0], lon=HALBERSTADT[1], coverage_km=25.0):
    """A partner city (committed)."""
    created = PartnerCity(slug=slug, name=slug.title(), lat=lat, lon=lon, coverage_km=coverage_km,
                          allowed_origins=[], theme={})  # fmt: skip
    db.session.add(created)
    db.session.commit()
    return created


def at(text: str) -> datetime:
    """A Berlin wall time 'YYYY-MM-DD HH:MM' as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def spans(gaps, emergency):
    """The gaps of one category as (start, end) in Berlin ISO minutes."""
    return [
        (g.start.isoformat(timespec="minutes"), g.end.isoformat(timespec="minutes"))
        for g in gaps
        if g.emergency == emergency
    ]


def test_open_hours_and_a_shift_over_midnight_leave_the_night_of_sunday(app_context):
    city()
    plumber = factories.business(trades=("klempner",), opening_hours="Mo-Fr 08:00-17:00; PH off")
    factories.shift(plumber, "klempner", at("2026-12-05 18:00"), at("2026-12-06 07:00"))
    gaps = find_gaps(date(2026, 12, 5), date(2026, 12, 6), "halberstadt")
    assert spans(gaps, "wasser") == [
        ("2026-12-05T00:00+01:00", "2026-12-05T18:00+01:00"),
        ("2026-12-06T07:00+01:00", "2026-12-07T00:00+01:00"),
    ]
    # Nobody for power cuts at all; advice-only gas smell has no gaps.
    assert spans(gaps, "strom") == [("2026-12-05T00:00+01:00", "2026-12-07T00:00+01:00")]
    assert spans(gaps, "gasgeruch") == []


def test_coverage_distance_and_service_radius_bound_the_businesses(app_context):
    centre = city(coverage_km=10.0)
    # About 11 km north of the centre: within its own radius but beyond the city's 10 km.
    far = factories.business(trades=("elektrotechniker",), lat=51.995, opening_hours="24/7")
    distance = great_circle_km(centre.lat, centre.lon, far.lat, far.lon)
    assert 10 < distance < 12
    assert len(spans(find_gaps(date(2026, 12, 7), date(2026, 12, 7)), "strom")) == 1
    centre.coverage_km = distance  # exactly on the boundary: counted, as the search counts
    db.session.commit()
    assert spans(find_gaps(date(2026, 12, 7), date(2026, 12, 7)), "strom") == []
    far.service_radius_km = distance - 0.001
    db.session.commit()
    assert len(spans(find_gaps(date(2026, 12, 7), date(2026, 12, 7)), "strom")) == 1


def test_inactive_businesses_do_not_count_and_other_guilds_do(app_context):
    city()
    factories.business(trades=("glaser",), opening_hours="24/7", active=False)
    assert len(spans(find_gaps(date(2026, 12, 7), date(2026, 12, 7)), "glas")) == 1
    other = factories.guild("bode-holz", "Innung Bode-Holz")
    carpenter = factories.business(trades=("tischler",), opening_hours="24/7", commit=False)
    carpenter.guild = other
    db.session.commit()
    assert spans(find_gaps(date(2026, 12, 7), date(2026, 12, 7)), "glas") == []


def test_size_class_defaults_and_period_bounds():
    assert coverage_km_for_population(None) == 25.0
    assert coverage_km_for_population(120_000) == 10.0
    assert coverage_km_for_population(40_000) == 16.0
    assert coverage_km_for_population(8_000) == 25.0
    start, end = period_bounds(date(2026, 10, 25), date(2026, 10, 25))
    # The autumn switch day has 25 hours.
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)


def _reset() -> None:
    for model in (RosterShift, BusinessTrade, Business, PartnerCity):
        db.session.execute(delete(model))
    db.session.commit()


def _random_plan(rng: random.Random, first_day: date) -> PartnerCity:
    """A city and a few businesses whose radii lie around their distance to the centre."""
    coverage = rng.choice((8.0, 16.0, 25.0))
    centre = city(coverage_km=coverage)
    start, _ = period_bounds(first_day, first_day)
    for _ in range(rng.randint(1, 6)):
        lat = centre.lat + rng.uniform(-0.25, 0.25)
        lon = centre.lon + rng.uniform(-0.35, 0.35)
        distance = great_circle_km(centre.lat, centre.lon, lat, lon)
        if rng.random() < 0.3:  # the coverage distance exactly on this business
            centre.coverage_km = rng.choice((distance, distance - 1e-6))
        radius = rng.choice((distance, distance + 1e-6, distance - 1e-6, 40.0, 5.0))
        business = factories.business(
            trades=tuple(rng.sample(TRADES, rng.randint(1, 2))),
            lat=lat, lon=lon, land=rng.choice(("ST", "NI")),
            service_radius_km=max(radius, 0.1), opening_hours=rng.choice(HOURS),
            emergency_hours=rng.choice((None, None, "PH 00:00-24:00", "Su 20:00-24:00")),
            active=rng.random() > 0.1, withheld=rng.random() < 0.1, commit=False,
        )  # fmt: skip
        db.session.flush()
        for _ in range(rng.randint(0, 3)):
            begins = start + timedelta(minutes=rng.randrange(-12 * 60, 48 * 60))
            trade = rng.choice([*business.trade_links, None])
            db.session.add(
                RosterShift(
                    business=business,
                    trade=trade.trade if trade else factories.trade("dachdecker"),
                    starts_at=begins.astimezone(UTC) + timedelta(seconds=rng.choice((0, 0, 30))),
                    # In UTC: Berlin wall-clock arithmetic over a DST switch could end
                    # a shift before it starts.
                    ends_at=begins.astimezone(UTC) + timedelta(minutes=rng.randrange(30, 30 * 60)),
                )
            )
    db.session.commit()
    return centre


def _minutes(first_day: date):
    start, end = period_bounds(first_day, first_day + timedelta(days=1))
    minute, end = start.astimezone(UTC), end.astimezone(UTC)
    while minute < end:
        yield minute
        minute += timedelta(minutes=1)


def _gap_minutes(gaps) -> dict[str, set[datetime]]:
    found: dict[str, set[datetime]] = {}
    for gap in gaps:
        minute = gap.start.astimezone(UTC)
        while minute < gap.end.astimezone(UTC):
            found.setdefault(gap.emergency, set()).add(minute)
            minute += timedelta(minutes=1)
    return found


def _assert_maximal_and_sorted(gaps) -> None:
    for before, after in pairwise(gaps):
        if before.emergency == after.emergency:
            assert before.end < after.start  # disjoint and never touching: maximal spans
    keys = [(g.city, g.emergency, g.start.astimezone(UTC)) for g in gaps]
    assert keys == sorted(keys)


def _brute_force(centre: PartnerCity, first_day: date) -> dict[str, set[datetime]]:
    """Uncovered minutes per category, business by business, minute by minute."""
    businesses = db.session.scalars(select(Business)).unique().all()
    shifts = db.session.scalars(select(RosterShift)).all()
    uncovered: dict[str, set[datetime]] = {}
    for category in catalogue().emergencies:
        wanted = {t.id for t in category.trades}
        if not wanted:
            continue
        helpers = []
        for b in businesses:
            distance = great_circle_km(centre.lat, centre.lon, b.lat, b.lon)
            if (
                b.active
                and not b.withheld
                and wanted & {link.trade_id for link in b.trade_links}
                and distance <= b.service_radius_km
                and distance <= centre.coverage_km
            ):
                own = [(s.starts_at, s.ends_at) for s in shifts
                       if s.business_id == b.id and s.trade_id in wanted]  # fmt: skip
                helpers.append((HoursSpec(b.land, b.opening_hours, b.emergency_hours), own))
        for minute in _minutes(first_day):
            if not any(
                shift_covers(own, minute) or is_open_by_hours(spec, minute) for spec, own in helpers
            ):
                uncovered.setdefault(category.slug, set()).add(minute)
    return uncovered


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32), first_day=st.sampled_from(FIRST_DAYS))
def test_gaps_equal_the_minute_by_minute_count(app_context, seed, first_day):
    _reset()
    centre = _random_plan(random.Random(seed), first_day)
    gaps = find_gaps(first_day, first_day + timedelta(days=1))
    _assert_maximal_and_sorted(gaps)
    assert _gap_minutes(gaps) == _brute_force(centre, first_day)


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32), first_day=st.sampled_from(FIRST_DAYS))
def test_gaps_equal_what_the_search_finds_each_minute(app_context, seed, first_day):
    """The search itself, asked for every minute: covered exactly when it lists someone."""
    _reset()
    centre = _random_plan(random.Random(seed), first_day)
    gaps = _gap_minutes(find_gaps(first_day, first_day + timedelta(days=1)))
    for emergency in ("wasser", "strom"):
        uncovered = set()
        for minute in _minutes(first_day):
            result = find_help(
                SearchRequest(
                    lat=centre.lat,
                    lon=centre.lon,
                    emergency=emergency,
                    at=minute,
                    radius_km=centre.coverage_km,
                    limit=1,
                )
            )
            if not result.hits:
                uncovered.add(minute)
        assert gaps.get(emergency, set()) == uncovered
