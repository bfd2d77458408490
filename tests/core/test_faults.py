"""A database that is down, hung, locked or exhausted: 503 problem+json, then recovery.

The PostgreSQL server here is one the test starts itself (initdb into a temporary
directory, its own port) and stops and restarts mid-load: never the shared one.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from backend.core.faults import is_unavailable
from backend.extensions import db
from scripts.scratch_services import HungServer, ScratchPostgres
from tests import factories
from tests.core.ops_apps import SEARCH, dispose, make_app

# Generous bounds only: they catch a request that waits for gunicorn's 30 s, not speed.
PATIENCE_S = 15


def assert_unavailable(response) -> None:
    """The answer of a database outage: 503 problem+json with Retry-After."""
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert response.json["status"] == 503
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture(scope="module")
def pg_app(scratch_pg: ScratchPostgres, app: Flask) -> Iterator[Flask]:
    """The app on the scratch server, migrated."""
    pg_app = make_app(scratch_pg.url)
    yield pg_app
    dispose(pg_app, app)


def _load(app: Flask, stop: threading.Event, statuses: list[int]) -> None:
    client = app.test_client()
    while not stop.is_set():
        statuses.append(client.get(SEARCH).status_code)


def test_a_stopped_database_is_answered_503_and_the_service_recovers_by_itself(
    pg_app: Flask, scratch_pg: ScratchPostgres
):
    client = pg_app.test_client()
    assert client.get(SEARCH).status_code == 200
    statuses: list[int] = []
    stop = threading.Event()
    load = [threading.Thread(target=_load, args=(pg_app, stop, statuses)) for _ in range(3)]
    for thread in load:
        thread.start()
    try:
        scratch_pg.stop()
        assert_unavailable(client.get(SEARCH))
        assert_unavailable(client.get("/api/v1/health"))
        ready = client.get("/readyz")
        assert_unavailable(ready)
        assert ready.json["checks"]["database"] in {"error", "timeout"}
        assert client.get("/healthz").status_code == 200
        scratch_pg.start()
        # Connections of the pool died with the server: pre-ping replaces them.
        assert client.get(SEARCH).status_code == 200
        assert client.get("/readyz").status_code == 200
    finally:
        stop.set()
        for thread in load:
            thread.join(PATIENCE_S)
    assert set(statuses) <= {200, 503}, statuses
    assert 503 in statuses and statuses[-1] == 200


def test_every_connection_carries_the_statement_timeout(pg_app: Flask):
    setting = "SELECT setting FROM pg_settings WHERE name = 'statement_timeout'"
    with pg_app.app_context():
        timeout = db.session.execute(db.text(setting)).scalar()
        db.session.execute(db.text("SET statement_timeout = 50"))
        with pytest.raises(OperationalError) as cancelled:
            db.session.execute(db.text("SELECT pg_sleep(5)"))
        db.session.rollback()
    assert timeout == str(pg_app.config["DATABASE_STATEMENT_TIMEOUT_MS"])
    assert is_unavailable(cancelled.value)  # so a view answers it 503


@pytest.fixture
def hung_app(app: Flask) -> Iterator[Flask]:
    """The app pointed at a database server that accepts and never answers."""
    hung = HungServer()
    hung_app = make_app(f"postgresql://postgres@127.0.0.1:{hung.port}/db", migrate=False)
    yield hung_app
    hung.close()
    dispose(hung_app, app)


def test_a_hung_database_is_answered_503_after_the_connect_timeout(hung_app: Flask):
    client = hung_app.test_client()
    assert_unavailable(client.get(SEARCH))
    assert_unavailable(client.get("/api/v1/health"))
    ready = client.get("/readyz")
    assert_unavailable(ready)
    assert ready.json["checks"]["database"] == "timeout"
    assert client.get("/healthz").json == {"status": "ok"}


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite database file of this module's own."""
    return f"sqlite:///{tmp_path_factory.mktemp('faults') / 'faults.sqlite'}"


def test_a_locked_sqlite_database_is_answered_503_after_the_busy_timeout(
    sqlite_url: str, app: Flask
):
    locked_app = make_app(sqlite_url, DATABASE_BUSY_TIMEOUT_S=0.2)
    with locked_app.app_context():
        business_id = factories.business().id
        db.session.commit()
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    client = locked_app.test_client()
    call = {"business_id": business_id, "category": "wasser", "channel": "app"}
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
        assert_unavailable(client.post("/api/v1/calls", json={**call, "id": str(uuid.uuid4())}))
        assert client.get(SEARCH).status_code == 200  # readers are not blocked (WAL)
        holder.execute("ROLLBACK")
        second = client.post("/api/v1/calls", json={**call, "id": str(uuid.uuid4())})
        assert second.status_code == 204
    finally:
        holder.close()
        dispose(locked_app, app)


def test_an_exhausted_pool_is_answered_503_after_the_pool_timeout(sqlite_url: str, app: Flask):
    small_app = make_app(
        sqlite_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2},
    )
    try:
        with small_app.app_context():
            held = db.engine.connect()  # the one connection, busy elsewhere
            try:
                assert_unavailable(small_app.test_client().get(SEARCH))
            finally:
                held.close()
            assert small_app.test_client().get(SEARCH).status_code == 200
    finally:
        dispose(small_app, app)


def test_a_missing_table_is_a_500_not_a_503(app: Flask):
    unmigrated = make_app("sqlite://", migrate=False)
    try:
        response = unmigrated.test_client().get("/api/v1/trades")
        assert response.status_code == 500 and "Retry-After" not in response.headers
    finally:
        dispose(unmigrated, app)
