"""Shared fixtures: one migrated database per test session, emptied between tests.

Set TEST_DATABASE_URL to a PostgreSQL URL to run the suite there; each session
then works in a schema of its own, so parallel runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from backend import create_app
from backend.extensions import db

# A Redis database of its own for the cache tests (real server, real connection).
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# Tables filled by migrations (published reference data): never emptied.
# The search data version and its change log are kept too: they only ever move on.
KEPT_TABLES = {
    "trades", "emergency_categories", "emergency_trades", "alembic_version",
    "search_data_version", "search_changes",
}  # fmt: skip


def _database_config(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str | None]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        path = tmp_path_factory.mktemp("db") / "test.sqlite"
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}, None
    schema = f"test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }
    return config, schema


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application on a freshly migrated test database."""
    db_config, schema = _database_config(tmp_path_factory)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "GEOCODER_URL": "",
            # Searches see every committed write at once (servers build in the background).
            "SEARCH_INDEX": "inline",
            # Never the servers' Redis database: a database of the tests' own.
            "REDIS_URL": TEST_REDIS_URL,
            # Staff passwords: argon2id at the lowest cost (the real cost in config/).
            "PASSWORD_ARGON2_TIME_COST": 1,
            "PASSWORD_ARGON2_MEMORY_KIB": 8,
            # The suite sends many call events from one address; tests of the limit lower it.
            "CALL_EVENT_LIMIT_PER_ADDRESS": "10000 per minute",
            "SEARCH_LIMIT_PER_ADDRESS": "100000 per minute",
            **db_config,
        }
    )
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        if schema:
            with db.engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        db.engine.dispose()


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    """An application context whose data tables are empty at the start of the test."""
    with app.app_context():
        empty_data_tables()
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask, app_context: None):
    """A test client on empty data tables."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask, app_context: None):
    """A CLI runner on empty data tables."""
    return app.test_cli_runner()


def empty_data_tables() -> None:
    """Delete every row but the reference data (also for module-scoped fixtures)."""
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                connection.execute(table.delete())


@pytest.fixture(scope="module")
def redis_client():
    """A client of the test Redis; without one the tests fail: CI machines have Redis."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"no Redis at {TEST_REDIS_URL}: {exc} (start it: see .ci/run)")
    yield client
    client.close()
