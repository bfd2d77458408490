"""Patching the in-memory index: after every kind of write the patched index answers
exactly what a brute-force scan answers, without a rebuild and without the database search.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from flask import current_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, text, update

from backend.businesses.models import Business
from backend.extensions import db
from backend.roster.models import RosterShift
from backend.search import index_patch
from backend.search import index_state as search_index_state
from backend.search import nearest as search
from backend.search.nearest import SearchQuery, find_available_businesses
from tests import factories
from tests.search.test_search_property import DAYS, HOURS, POINTS, TRADES, _brute_force, _populate


@pytest.fixture
def patched_only(app, monkeypatch):
    """The app's index, built once; afterwards only patches may bring it up to date."""
    state = app.extensions["search_index"]
    monkeypatch.setattr(search_index_state, "SHIFTS_KEPT", timedelta(days=36500))
    # An index left by an earlier test holds only recent shifts: this test builds its own.
    state.index = None
    builds = []
    real = search_index_state.build_search_index

    def counted(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(search_index_state, "build_search_index", counted)
    monkeypatch.setattr(search, "_search_database", _must_not_run)
    yield builds
    state.mode, state.index, state._retry_at = "inline", None, 0.0


def _must_not_run(*_args, **_kwargs):
    raise AssertionError("searched the database although the index could be patched")


def _edit(rng: random.Random, trade_ids: dict[str, int]) -> str:
    """One random write of the kinds staff, imports and SQL consoles make; says which."""
    ids = db.session.scalars(select(Business.id)).all()
    target = db.session.get(Business, rng.choice(ids))
    kind = rng.choice(
        ("rename", "move", "radius", "hours", "deactivate", "activate", "withhold", "trades",
         "shift", "unshift", "create", "delete", "sql-rename", "sql-hours")
    )  # fmt: skip
    if kind == "rename":
        target.name = f"B{rng.randint(0, 40):02d}"  # keeps name ties
    elif kind == "move":
        target.lat, target.lon = rng.uniform(51.5, 52.2), rng.uniform(10.2, 11.9)
    elif kind == "radius":
        target.service_radius_km = rng.choice((5.0, 15.0, 30.0, 60.0))
    elif kind == "hours":
        target.opening_hours = rng.choice(HOURS)
    elif kind in ("deactivate", "activate"):
        target.active = kind == "activate"
    elif kind == "withhold":  # overdue for verification: out of the listing until checked
        target.withheld = not target.withheld
    elif kind == "trades":
        target.set_trades([factories.trade(s) for s in rng.sample(TRADES, rng.randint(1, 2))])
    elif kind == "shift":
        start = rng.choice(DAYS) + timedelta(hours=rng.randint(0, 23))
        db.session.add(
            RosterShift(
                business=target,
                trade=target.trade_links[0].trade,
                starts_at=start,
                ends_at=start + timedelta(hours=rng.randint(2, 40)),
            )
        )
    elif kind == "unshift":
        db.session.execute(delete(RosterShift).where(RosterShift.business_id == target.id))
    elif kind == "create":
        factories.business(
            name=f"B{rng.randint(0, 40):02d}", trades=(rng.choice(TRADES),),
            lat=rng.uniform(51.5, 52.2), lon=rng.uniform(10.2, 11.9), land="ST",
            opening_hours=rng.choice(HOURS), commit=False,
        )  # fmt: skip
    elif kind == "delete":
        db.session.delete(target)
    elif kind == "sql-rename":  # a SQL console: no ORM, no application code
        db.session.execute(
            text("UPDATE businesses SET name = :name WHERE id = :id"),
            {"name": f"B{rng.randint(0, 40):02d}", "id": target.id},
        )
    else:
        db.session.execute(
            update(Business).where(Business.id == target.id).values(emergency_hours="24/7")
        )
    db.session.commit()
    return kind


def test_patched_index_equals_brute_force_after_every_kind_of_write(app_context, patched_only):
    rng = random.Random(20261201)
    _populate(rng, count=150)
    trade_ids = {slug: factories.trade(slug).id for slug in TRADES}
    edits = iter(range(10_000))

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        point=POINTS,
        trades=st.lists(st.sampled_from(TRADES), min_size=1, max_size=3, unique=True),
        day=st.sampled_from(DAYS),
        minute=st.integers(0, 48 * 60 - 1),
        only_available=st.booleans(),
        limit=st.integers(1, 30),
    )
    def check(point, trades, day, minute, only_available, limit):
        next(edits)
        _edit(rng, trade_ids)
        query = SearchQuery(
            lat=point[0], lon=point[1], trade_ids=tuple(trade_ids[t] for t in trades),
            at=day + timedelta(minutes=minute), only_available=only_available, limit=limit,
        )  # fmt: skip
        hits = find_available_businesses(query, max_service_radius_km=150, lookahead=timedelta(14))
        db.session.rollback()  # end the read, as a request's teardown does
        businesses = db.session.scalars(select(Business)).unique().all()
        shifts = db.session.scalars(select(RosterShift)).all()
        expected = _brute_force(businesses, shifts, query)
        assert [h.business_id for h in hits] == [e[0] for e in expected]
        assert [h.availability.available for h in hits] == [e[2] for e in expected]

    check()
    assert patched_only == [1], "the index was rebuilt instead of patched"


def test_a_patch_reads_only_the_changed_businesses(app_context, patched_only, monkeypatch):
    for i in range(30):  # all at one place: the order is the name order
        factories.business(name=f"Betrieb {i:02d}", lat=51.9, lon=11.05)
    query = SearchQuery(
        lat=51.9, lon=11.05, trade_ids=(factories.trade("klempner").id,),
        at=DAYS[-1] + timedelta(hours=10), only_available=False, limit=50,
    )  # fmt: skip
    find_available_businesses(query, max_service_radius_km=150, lookahead=timedelta(14))
    db.session.rollback()
    read = []
    real = index_patch._read

    def recorded(connection, statement, ids, **params):
        read.append(set(ids))
        return real(connection, statement, ids, **params)

    monkeypatch.setattr(index_patch, "_read", recorded)
    renamed = db.session.scalar(select(Business).where(Business.name == "Betrieb 07"))
    renamed.name = "AAA Erster"
    db.session.commit()
    hits = find_available_businesses(query, max_service_radius_km=150, lookahead=timedelta(14))
    assert read and all(ids == {renamed.id} for ids in read)
    names = [db.session.get(Business, hit.business_id).name for hit in hits]
    assert names[0] == "AAA Erster"
    assert names == sorted(names)
    assert len(hits) == 30


def test_a_truncated_log_or_table_makes_a_patch_impossible(app_context, patched_only):
    factories.business(name="Eins", lat=51.9, lon=11.05)
    state = current_app.extensions["search_index"]
    query = SearchQuery(
        lat=51.9, lon=11.05, trade_ids=(factories.trade("klempner").id,),
        at=DAYS[-1] + timedelta(hours=10), only_available=False,
    )  # fmt: skip
    find_available_businesses(query, max_service_radius_km=150, lookahead=timedelta(14))
    db.session.rollback()
    index = state.index
    db.session.execute(text("UPDATE search_data_version SET changes_from = version + 1"))
    db.session.execute(update(Business).values(name="Zwei"))
    db.session.commit()
    with pytest.raises(index_patch.PatchImpossible, match="does not reach back"):
        index_patch.patch_index(index, db.engine)
    assert index.version < state.index.version or state.index is index
