"""The in-memory search index: used only while current, rebuilt after writes, same answers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from backend.businesses.models import Business
from backend.extensions import db
from backend.search import index_state as search_index_state
from backend.search import nearest as search
from backend.search.data_version import read_data_version
from backend.search.listing_fragments import ListingFragments
from backend.search.nearest import SearchQuery, find_available_businesses
from tests import factories

HALBERSTADT = (51.8958, 11.0467)
WEDNESDAY_10 = datetime(2026, 11, 25, 9, tzinfo=UTC)


@pytest.fixture
def state(app):
    """The app's index state, restored to ``inline`` and emptied afterwards."""
    state = app.extensions["search_index"]
    yield state
    state.wait_for_build(10)
    state.mode, state.index, state._retry_at = "inline", None, 0.0


@pytest.fixture
def database_searches(monkeypatch) -> list[int]:
    """Counts the searches that read the database instead of the index."""
    calls = []
    real = search._search_database

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(search, "_search_database", counted)
    return calls


def names(at=WEDNESDAY_10, **options) -> list[str]:
    query = SearchQuery(
        lat=HALBERSTADT[0], lon=HALBERSTADT[1], trade_ids=(factories.trade("klempner").id,),
        at=at, **options,
    )  # fmt: skip
    hits = find_available_businesses(query, max_service_radius_km=150, lookahead=timedelta(14))
    by_id = {b.id: b.name for b in db.session.query(Business)}
    db.session.rollback()  # end the read, as a request's teardown does
    return [by_id[hit.business_id] for hit in hits]


def test_a_current_index_answers_without_the_database(app_context, state, database_searches):
    factories.business(name="Nah", lat=51.896, lon=11.047)
    assert names() == ["Nah"]  # inline: built by this search
    assert names() == ["Nah"]
    assert database_searches == []
    assert state.index.version == read_data_version(db.session.connection())


def test_a_committed_write_is_seen_by_the_next_search(app_context, state, database_searches):
    near = factories.business(name="Nah", lat=51.896, lon=11.047)
    assert names() == ["Nah"]
    factories.business(name="Näher", lat=51.8958, lon=11.0467)
    assert names() == ["Näher", "Nah"]
    db.session.execute(update(Business).where(Business.id == near.id).values(active=False))
    db.session.commit()
    assert names() == ["Näher"]
    assert database_searches == []


def test_own_uncommitted_writes_are_searched_in_the_database(app_context, state, database_searches):
    factories.business(name="Nah", lat=51.896, lon=11.047)
    assert names() == ["Nah"]
    factories.business(name="Ungespeichert", lat=51.8958, lon=11.0467, commit=False)
    db.session.flush()
    query = SearchQuery(*HALBERSTADT, trade_ids=(factories.trade("klempner").id,), at=WEDNESDAY_10)
    hits = find_available_businesses(query, max_service_radius_km=150, lookahead=timedelta(14))
    assert len(hits) == 2
    assert database_searches == [1]
    db.session.rollback()
    assert names() == ["Nah"]


def test_an_instant_before_the_kept_shifts_is_searched_in_the_database(
    app_context, state, database_searches
):
    factories.business(name="Nah", lat=51.896, lon=11.047)
    assert names() == ["Nah"]
    long_ago = datetime.now(UTC) - search_index_state.SHIFTS_KEPT
    assert names(at=long_ago.replace(hour=9), only_available=False) == ["Nah"]
    assert database_searches == [1]


def test_background_mode_searches_the_database_until_the_index_is_built(
    app_context, state, database_searches
):
    factories.business(name="Nah", lat=51.896, lon=11.047)
    state.mode, state.index = "background", None
    assert names() == ["Nah"]
    assert database_searches == [1]
    assert state.wait_for_build(30)
    assert names() == ["Nah"]
    assert database_searches == [1]


def test_a_server_process_builds_its_index_before_its_first_search(
    app, app_context, state, database_searches
):
    factories.business(name="Nah", lat=51.896, lon=11.047)
    db.session.commit()
    state.mode, state.index = "background", None
    search_index_state.build_before_serving(app)
    assert state.index is not None and not state._building
    assert names() == ["Nah"]
    assert database_searches == []


def test_building_before_serving_leaves_other_modes_alone(app, state):
    for mode in ("inline", "off"):
        state.mode, state.index = mode, None
        search_index_state.build_before_serving(app)
        assert state.index is None


def test_health_starts_the_index_and_reports_it(client, state):
    factories.business()
    state.mode, state.index = "background", None
    assert client.get("/api/v1/health").json["search_index"] in {"building", "ready"}
    assert state.wait_for_build(30)
    assert client.get("/api/v1/health").json == {"status": "ok", "search_index": "ready"}
    state.mode = "off"
    assert client.get("/api/v1/health").json["search_index"] == "off"


def test_a_failed_build_is_logged_and_retried_later(
    app_context, state, database_searches, monkeypatch, caplog
):
    factories.business(name="Nah", lat=51.896, lon=11.047)
    state.mode, state.index = "background", None

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(search_index_state, "build_search_index", broken)
    with caplog.at_level(logging.ERROR):
        assert names() == ["Nah"]
        assert state.wait_for_build(30)
    assert "Search index build failed" in caplog.text
    assert names() == ["Nah"]  # no new attempt before RETRY_AFTER_S
    assert state.index is None and not state._building
    assert database_searches == [1, 1]


def test_listings_of_the_index_show_every_committed_edit(client, state):
    business = factories.business(name="Alt", lat=51.896, lon=11.047)
    path = "/api/v1/search?lat=51.8958&lon=11.0467&trade=klempner&at=2026-11-25T10:00:00%2B01:00"
    assert client.get(path).json["results"][0]["name"] == "Alt"
    db.session.execute(update(Business).where(Business.id == business.id).values(name="Neu"))
    db.session.commit()
    assert client.get(path).json["results"][0]["name"] == "Neu"


def test_an_unknown_mode_is_refused(app):
    with pytest.raises(ValueError, match="SEARCH_INDEX must be one of"):
        search_index_state.SearchIndexState(app, "sometimes")


def test_the_listing_cache_keeps_its_capacity_dropping_the_oldest():
    fragments = ListingFragments(capacity=2)
    for business_id in (1, 2, 3):
        fragments.put(business_id, f'"id":{business_id}')
    assert len(fragments) == 2
    assert [fragments.get(i) for i in (1, 2, 3)] == [None, '"id":2', '"id":3']


def test_the_index_keeps_as_many_listings_as_configured(app, app_context, state, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_LISTING_CACHE", 7)
    factories.business(name="Nah", lat=51.896, lon=11.047)
    assert names() == ["Nah"]
    assert state.index.listing_fragments.capacity == 7
