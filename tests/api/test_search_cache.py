"""The shared answer cache over a real Redis: hits are exact, writes invalidate, no collisions.

These tests use their own application on the session's test database, with its own
key prefix in Redis db 15 (``TEST_REDIS_URL``), removed at the end. They fail
when no Redis answers.
"""

from __future__ import annotations

import gzip
import json
import logging
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import text

from backend import create_app
from backend.api.search import answer_key
from backend.businesses.models import Business
from backend.extensions import db
from backend.hours import BERLIN
from backend.imports.businesses import import_businesses
from backend.imports.rosters import import_roster
from backend.search import answer_cache
from backend.search.data_version import read_data_version
from backend.search.operation import SearchRequest, this_minute
from backend.search.schemas import SearchArgs
from benchmarks.server import free_port
from tests import factories
from tests.conftest import TEST_REDIS_URL, empty_data_tables
from tests.imports.import_helpers import GUILD, make_guild
from tests.imports.import_helpers import business as business_row

WEDNESDAY_10 = "2026-11-25T10:00:00+01:00"
HALBERSTADT = {"lat": 51.8958, "lon": 11.0467}


@pytest.fixture(scope="module")
def prefix(redis_client):
    """A key prefix of this test session; its keys are deleted at the end."""
    prefix = f"test-schnellruf-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in redis_client.scan_iter(match=f"{prefix}:*", count=1000):
        redis_client.delete(key)


def app_like(app: Flask, **config) -> Flask:
    """Another application on the session's (migrated) test database."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "GEOCODER_URL": "",
            "SEARCH_INDEX": app.config["SEARCH_INDEX"],  # no build threads left at dispose
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"],
            **config,
        }
    )


@pytest.fixture(scope="module")
def cached_app(app, prefix):
    cached = app_like(app, REDIS_URL=TEST_REDIS_URL, SEARCH_CACHE_PREFIX=prefix)
    yield cached
    with cached.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def plain_app(app):
    plain = app_like(app, REDIS_URL="")
    yield plain
    with plain.app_context():
        db.engine.dispose()


@pytest.fixture
def cache(cached_app) -> answer_cache.AnswerCache:
    return cached_app.extensions[answer_cache.EXTENSION_KEY]


@pytest.fixture
def client(cached_app):
    """A client of the cached app, on empty data tables (emptied through its engine)."""
    with cached_app.app_context():
        empty_data_tables()
        yield cached_app.test_client()
        db.session.remove()


@pytest.fixture
def plain(plain_app):
    """A client of an app without cache, for the expected answers."""
    return plain_app.test_client()


@pytest.fixture
def plumber(client):
    return factories.business(name="Klempnerei Krause (Demo)", lat=51.9, lon=11.05)


def data_version_tag() -> bytes:
    """The database's search data version, as answers are tagged with it."""
    with db.engine.connect() as connection:
        return b"%d" % read_data_version(connection)


def get(client, **params):
    return client.get("/api/v1/search", query_string=params)


def stored_answer(redis_client, cache, at: str | None = None, **params) -> bytes | None:
    """The stored value (data version tag, space, answer) for these query parameters."""
    args = SearchArgs().load({**params, **({"at": at} if at else {})})
    moment = args.get("at") or this_minute()
    key = cache.answer_prefix + answer_key(SearchRequest(**args), moment.astimezone(BERLIN))
    return redis_client.get(key)


def test_hit_returns_the_stored_bytes(client, plain, plumber, redis_client, cache):
    params = {"postcode": "38820", "trade": "klempner", "at": WEDNESDAY_10}
    first = get(client, **params)
    assert first.status_code == 200
    version = data_version_tag()
    assert stored_answer(redis_client, cache, **params) == version + b" " + first.get_data()
    second = get(client, **params)
    assert second.get_data() == first.get_data() == get(plain, **params).get_data()
    assert second.headers["Content-Type"] == first.headers["Content-Type"] == "application/json"
    assert second.headers["Cache-Control"] == "no-store"
    # Served from Redis indeed: a changed stored answer (same data version) comes back as is.
    args = SearchArgs().load(params)
    key = cache.answer_prefix + answer_key(SearchRequest(**args), args["at"].astimezone(BERLIN))
    redis_client.set(key, version + b' {"from": "redis"}\n', ex=60)
    assert get(client, **params).get_data() == b'{"from": "redis"}\n'


def test_hits_are_gzipped_like_answers(client, plumber):
    params = {"postcode": "38820", "emergency": "wasser", "at": WEDNESDAY_10, "available": "any"}
    headers = {"Accept-Encoding": "gzip"}
    computed = client.get("/api/v1/search", query_string=params, headers=headers)
    hit = client.get("/api/v1/search", query_string=params, headers=headers)
    assert computed.headers["Content-Encoding"] == hit.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.get_data()) == gzip.decompress(computed.get_data())


def test_orm_changes_invalidate(client, plumber):
    params = {"postcode": "38820", "trade": "klempner", "at": WEDNESDAY_10}
    assert get(client, **params).json["results"][0]["name"] == "Klempnerei Krause (Demo)"
    plumber.name = "Klempnerei Krause & Sohn (Demo)"
    db.session.commit()
    assert get(client, **params).json["results"][0]["name"] == "Klempnerei Krause & Sohn (Demo)"
    factories.shift(
        plumber,
        "klempner",
        datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
        datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
    )
    assert get(client, **params).json["results"][0]["on_duty"] is True
    db.session.delete(plumber)
    db.session.commit()
    assert get(client, **params).json["count"] == 0


def test_sql_text_writes_invalidate(client, plumber):
    params = {"postcode": "38820", "trade": "klempner", "at": WEDNESDAY_10}
    assert get(client, **params).json["count"] == 1
    db.session.execute(text("UPDATE businesses SET active = :no"), {"no": False})
    db.session.commit()
    assert get(client, **params).json["count"] == 0


def test_writes_through_a_plain_connection_invalidate(client, plumber):
    params = {"postcode": "38820", "trade": "klempner", "at": WEDNESDAY_10}
    assert get(client, **params).json["count"] == 1
    with db.engine.begin() as connection:
        connection.execute(Business.__table__.delete())
    assert get(client, **params).json["count"] == 0


def test_imports_invalidate(client, redis_client, cache):
    make_guild()
    params = {"postcode": "38820", "trade": "klempner", "at": WEDNESDAY_10}
    assert get(client, **params).json["count"] == 0
    report = import_businesses([business_row("B-1")], GUILD, actor="test", max_radius_km=150)
    assert report.written
    (result,) = get(client, **params).json["results"]
    assert result["name"] == "Sanitär Müller GmbH" and result["on_duty"] is False
    shift = {"ref": "B-1", "trade": "klempner", "start": "2026-11-25T08:00:00+01:00",
             "end": "2026-11-25T20:00:00+01:00"}  # fmt: skip
    assert import_roster([shift], GUILD, actor="test").written
    assert get(client, **params).json["results"][0]["on_duty"] is True


def test_rolled_back_writes_are_never_cached(client, redis_client, cache):
    params = {"postcode": "38820", "trade": "klempner", "at": WEDNESDAY_10}
    version = data_version_tag()
    factories.business(name="Entwurf (Demo)", commit=False)
    db.session.flush()
    # The request shares the test's session, so it sees the uncommitted row ...
    assert get(client, **params).json["results"][0]["name"] == "Entwurf (Demo)"
    # ... and neither stored that answer nor moved the data version.
    assert b"Entwurf" not in (stored_answer(redis_client, cache, **params) or b"")
    db.session.rollback()
    assert data_version_tag() == version
    assert get(client, **params).json["count"] == 0


def test_unrelated_writes_keep_the_answers(client, plumber, redis_client, cache):
    get(client, postcode="38820", trade="klempner", at=WEDNESDAY_10)
    version = data_version_tag()
    call = {"id": str(uuid.uuid4()), "business_id": plumber.id, "category": "wasser"}
    assert client.post("/api/v1/calls", json=call).status_code == 204
    assert data_version_tag() == version


def test_different_queries_never_share_an_answer(client, plain, redis_client, cache):
    factories.business(name="Nah (Demo)", lat=51.897, lon=11.047)
    factories.business(name="Rund um die Uhr (Demo)", lat=51.95, lon=11.1, emergency_hours="24/7")
    factories.business(name="Samstags (Demo)", lat=51.92, lon=11.06, opening_hours="Sa 08:00-12:00")
    factories.business(name="Dach (Demo)", trades=("dachdecker",), lat=51.9, lon=11.05)
    base = {"postcode": "38820", "trade": "klempner", "at": WEDNESDAY_10}
    queries = [
        base,
        {**base, "limit": 1},
        {**base, "available": "any"},
        {**base, "at": "2026-11-25T22:00:00+01:00"},
        {**base, "at": "2026-11-25T22:00:00+01:00", "available": "any"},
        {**base, "radius_km": 5, "available": "any"},
        {**base, "trade": "dachdecker"},
        {"emergency": "dach", "postcode": "38820", "at": WEDNESDAY_10},
        {"emergency": "wasser", "postcode": "38820", "at": WEDNESDAY_10},
        {"trade": "klempner", "at": WEDNESDAY_10, **HALBERSTADT},
        {"trade": "klempner", "at": WEDNESDAY_10, "lat": 51.95, "lon": 11.1, "radius_km": 2},
        {"trade": "klempner", "at": WEDNESDAY_10, "place": "Halberstadt"},
        {**base, "postcode": "06484"},
    ]
    same_instant = {**base, "at": "2026-11-25T09:00:00Z"}  # same answer as base
    for _ in range(2):  # computed, then all from the cache
        for params in [*queries, same_instant]:
            answer = get(client, **params)
            assert answer.status_code == 200, answer.json
            assert answer.get_data() == get(plain, **params).get_data(), params
    answers = [get(client, **params).get_data() for params in queries]
    shared = [json.loads(answer) for answer in answers if answers.count(answer) > 1]
    assert shared == []  # the queries really ask different things
    version = data_version_tag()
    current = [
        key
        for key in redis_client.scan_iter(match=cache.answer_prefix + "*", count=1000)
        if redis_client.get(key).startswith(version + b" ")
    ]
    assert len(current) == len(queries)


def test_errors_are_not_stored(client, redis_client, cache):
    before = set(redis_client.scan_iter(match=cache.answer_prefix + "*", count=1000))
    assert get(client, postcode="38820", trade="plumber").status_code == 422
    assert get(client, place="Neustadt", trade="klempner").status_code == 422
    assert set(redis_client.scan_iter(match=cache.answer_prefix + "*", count=1000)) <= before


def test_search_without_at_is_for_the_current_minute(client, plain, plumber):
    params = {"postcode": "38820", "trade": "klempner", "available": "any"}
    for _ in range(3):  # unless the minute turns between the requests
        minute = this_minute()
        first, second, expected = get(client, **params), get(client, **params), get(plain, **params)
        if this_minute() == minute:
            break
    at = datetime.fromisoformat(first.json["at"])
    assert at == minute and at.utcoffset() == minute.astimezone(BERLIN).utcoffset()
    assert first.get_data() == second.get_data() == expected.get_data()


def test_explicit_at_is_used_to_the_second(client, plain, plumber):
    """A shift may start at any second: explicit times are never rounded, so never shared."""
    sunday = datetime(2026, 11, 29, 10, 0, 30, tzinfo=UTC)  # closed by hours on Sundays
    factories.shift(plumber, "klempner", sunday, sunday.replace(hour=12))
    berlin = ZoneInfo("Europe/Berlin")
    before, after = "2026-11-29T10:00:15Z", "2026-11-29T10:00:45Z"
    for _ in range(2):
        early = get(client, postcode="38820", trade="klempner", at=before, available="any")
        late = get(client, postcode="38820", trade="klempner", at=after, available="any")
        assert early.json["results"][0]["available"] is False
        assert early.json["results"][0]["next_available"] == sunday.astimezone(berlin).isoformat()
        assert late.json["results"][0]["on_duty"] is True
        assert late.json["at"] == "2026-11-29T11:00:45+01:00"
        for params, answer in ((before, early), (after, late)):
            expected = get(plain, postcode="38820", trade="klempner", at=params, available="any")
            assert answer.get_data() == expected.get_data()


def test_unreachable_redis_changes_nothing(app, plain, caplog):
    down = app_like(app, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    params = {"postcode": "38820", "trade": "klempner", "at": WEDNESDAY_10}
    with down.app_context(), caplog.at_level(logging.WARNING, logger=answer_cache.__name__):
        empty_data_tables()  # a write with Redis down
        factories.business(name="Klempnerei Krause (Demo)", lat=51.9, lon=11.05)
        client = down.test_client()
        answers = [get(client, **params) for _ in range(5)]
        assert {a.status_code for a in answers} == {200}
        assert {a.get_data() for a in answers} == {get(plain, **params).get_data()}
        db.session.remove()
        db.engine.dispose()
    warnings = [r for r in caplog.records if r.name == answer_cache.__name__]
    assert len(warnings) == 1 and "searching without the cache" in warnings[0].getMessage()


def test_no_cache_without_redis_url(plain_app):
    assert answer_cache.EXTENSION_KEY not in plain_app.extensions
