"""Property test: the ring search returns exactly what a brute-force scan with geopy returns.

Random businesses straddle the border of Sachsen-Anhalt (ST) and Lower Saxony (NI),
whose public holidays differ; times cluster on both daylight-saving switches and on
holidays of one Land only; roster shifts cross midnight. The hour expressions
themselves are checked against opening-hours-py in ``test_hours``.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from geopy.distance import great_circle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.businesses.models import Business
from backend.extensions import db
from backend.hours import compile_hours
from backend.roster.models import RosterShift
from backend.search import index_state as search_index_state
from backend.search import nearest as search
from backend.search import rings
from backend.search.nearest import SearchQuery, find_available_businesses
from tests import factories

TRADES = ("klempner", "installateur-heizungsbauer", "elektrotechniker", "dachdecker")
HOURS = (
    None,
    "24/7",
    "Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off",
    "Mo-Fr 08:00-18:00; PH off",
    "Mo-Su 22:00-06:00",
    "Sa,Su,PH 08:00-20:00",
    "Mo-Fr 17:00-22:00; Sa,Su,PH 08:00-20:00",
    "PH 10:00-14:00",
    "Su 01:00-04:00",
)
# Local days that matter: DST switches, Reformationstag (ST and NI), Epiphany (ST only),
# Christmas, and ordinary days.
DAYS = [
    datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 10, 25, tzinfo=UTC),
    datetime(2026, 10, 31, tzinfo=UTC), datetime(2026, 12, 24, tzinfo=UTC),
    datetime(2026, 12, 25, tzinfo=UTC), datetime(2027, 1, 6, tzinfo=UTC),
    datetime(2027, 3, 27, tzinfo=UTC), datetime(2027, 3, 28, tzinfo=UTC),
    datetime(2026, 11, 25, tzinfo=UTC), datetime(2026, 11, 28, tzinfo=UTC),
]  # fmt: skip
# Around Halberstadt, Wernigerode and Goslar.
POINTS = st.tuples(st.floats(51.6, 52.1), st.floats(10.3, 11.8))


def _populate(rng: random.Random, count: int = 300) -> None:
    for i in range(count):
        lon = rng.uniform(10.2, 11.9)
        business = factories.business(
            name=f"B{rng.randint(0, 40):02d}",  # deliberate name ties
            trades=tuple(rng.sample(TRADES, rng.randint(1, 2))),
            lat=rng.uniform(51.5, 52.2),
            lon=lon,
            land="NI" if lon < 10.75 else "ST",
            service_radius_km=rng.choice((5.0, 15.0, 30.0, 60.0)),
            opening_hours=rng.choice(HOURS),
            emergency_hours=rng.choice((*HOURS[:2], None, None, None)),
            active=rng.random() > 0.05,
            commit=False,
        )
        if i % 4 == 0:
            db.session.flush()
            start = rng.choice(DAYS) + timedelta(hours=rng.randint(12, 23))
            db.session.add(
                RosterShift(
                    business=business,
                    trade=business.trade_links[0].trade,
                    starts_at=start,
                    ends_at=start + timedelta(hours=rng.randint(6, 60)),
                )
            )
    db.session.commit()


def _brute_force(businesses, shifts, query: SearchQuery) -> list[tuple[int, float, bool]]:
    listed = []
    for b in businesses:
        if not b.listed or not {link.trade_id for link in b.trade_links} & set(query.trade_ids):
            continue
        distance = great_circle((query.lat, query.lon), (b.lat, b.lon)).km
        if distance > b.service_radius_km or (query.radius_km and distance > query.radius_km):
            continue
        on_duty = any(
            s.business_id == b.id and s.trade_id in query.trade_ids
            and s.starts_at <= query.at < s.ends_at
            for s in shifts
        )  # fmt: skip
        by_hours = any(
            compile_hours(expr, b.land).is_open(query.at)
            for expr in (b.opening_hours, b.emergency_hours)
            if expr
        )
        available = on_duty or by_hours
        if available or not query.only_available:
            listed.append((distance, b.name, b.id, available))
    listed.sort()
    return [(bid, distance, available) for distance, _, bid, available in listed[: query.limit]]


@pytest.fixture(params=["index", "database"])
def search_path(request, app, monkeypatch) -> str:
    """Run the test once on the in-memory index and once on the database alone.

    On the index, the database search must not run at all; the index keeps every shift
    of the test days, however long ago they lie when the test runs.
    """
    state = app.extensions["search_index"]
    if request.param == "index":
        monkeypatch.setattr(search_index_state, "SHIFTS_KEPT", timedelta(days=36500))
        # An index left by an earlier test holds only recent shifts: build one that holds all.
        monkeypatch.setattr(state, "index", None)
        monkeypatch.setattr(search, "_search_database", _must_not_run)
    else:
        monkeypatch.setattr(state, "mode", "off")
    return request.param


def _must_not_run(*_args, **_kwargs):
    raise AssertionError("searched the database although the index is current")


def test_ring_search_equals_brute_force(app_context, search_path):
    _check_against_brute_force(max_examples=300)


@pytest.mark.parametrize(
    ("first_ring_km", "growth"),
    [(0.05, (1.5, 1.5)), (0.3, (3.0, 3.0)), (500.0, (1.5, 3.0))],
    ids=["many thin rings", "fixed tripling", "one ring"],
)
def test_the_answer_does_not_depend_on_the_rings(
    app_context, search_path, monkeypatch, first_ring_km, growth
):
    monkeypatch.setattr(rings, "FIRST_RING_KM", first_ring_km)
    monkeypatch.setattr(rings, "RING_GROWTH", growth)
    _check_against_brute_force(max_examples=60)


def _check_against_brute_force(max_examples: int) -> None:
    _populate(random.Random(20261121))
    businesses = db.session.scalars(select(Business)).unique().all()
    shifts = db.session.scalars(select(RosterShift)).all()
    trade_ids = {slug: factories.trade(slug).id for slug in TRADES}

    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        point=POINTS,
        trades=st.lists(st.sampled_from(TRADES), min_size=1, max_size=3, unique=True),
        day=st.sampled_from(DAYS),
        minute=st.integers(0, 48 * 60 - 1),
        only_available=st.booleans(),
        limit=st.integers(1, 50),
        radius_km=st.none() | st.floats(1, 150),
    )
    def check(point, trades, day, minute, only_available, limit, radius_km):
        query = SearchQuery(
            lat=point[0], lon=point[1], trade_ids=tuple(trade_ids[t] for t in trades),
            at=day + timedelta(minutes=minute), only_available=only_available,
            limit=limit, radius_km=radius_km,
        )  # fmt: skip
        hits = find_available_businesses(query, max_service_radius_km=150, lookahead=timedelta(14))
        got = [(h.business_id, h.distance_km, h.availability.available) for h in hits]
        expected = _brute_force(businesses, shifts, query)
        assert [g[0] for g in got] == [e[0] for e in expected]
        for (_, got_km, got_available), (_, want_km, want_available) in zip(
            got, expected, strict=True
        ):
            assert abs(got_km - want_km) < 1e-9
            assert got_available == want_available

    check()
