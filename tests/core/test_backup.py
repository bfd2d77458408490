"""``flask backup create`` and ``flask backup restore`` round-trip, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy import select

from backend.businesses.models import Business
from backend.extensions import db
from backend.search.data_version import read_data_version
from scripts.scratch_services import ScratchPostgres
from tests import factories
from tests.core.ops_apps import dispose, make_app


def names() -> list[str]:
    """The businesses' names, sorted."""
    return sorted(db.session.scalars(select(Business.name)))


def round_trip(app: Flask, backup: Path) -> None:
    """Back up, change everything, restore: the backed-up data is back, the version moved on."""
    runner = app.test_cli_runner()
    with app.app_context():
        factories.business(name="Vorher")
        db.session.commit()
        created = runner.invoke(args=["backup", "create", str(backup)])
        assert created.exit_code == 0, created.output
        db.session.execute(db.delete(Business))
        factories.business(name="Nachher")
        db.session.commit()
        before = read_data_version(db.session.connection())
        db.session.rollback()
    refused = runner.invoke(args=["backup", "create", str(backup)])
    assert refused.exit_code != 0 and "exists" in refused.output
    restored = runner.invoke(args=["backup", "restore", "--yes", str(backup)])
    assert restored.exit_code == 0, restored.output
    with app.app_context():
        assert names() == ["Vorher"]
        # Never a version the caches have seen with other data.
        assert read_data_version(db.session.connection()) > before
    search = app.test_client().get(
        "/api/v1/search?lat=51.8958&lon=11.0467&trade=klempner&available=any"
    )
    assert [hit["name"] for hit in search.json["results"]] == ["Vorher"]


def test_sqlite_round_trip(app: Flask, tmp_path: Path):
    sqlite_app = make_app(f"sqlite:///{tmp_path / 'live.sqlite'}")
    try:
        round_trip(sqlite_app, tmp_path / "backup.sqlite")
    finally:
        dispose(sqlite_app, app)


def test_postgresql_round_trip(app: Flask, scratch_pg: ScratchPostgres, tmp_path: Path):
    name = f"backup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(scratch_pg.url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    pg_app = make_app(scratch_pg.url.rsplit("/", 1)[0] + f"/{name}")
    try:
        round_trip(pg_app, tmp_path / "backup.dump")
    finally:
        dispose(pg_app, app)


def test_a_missing_backup_is_refused(runner, tmp_path: Path):
    result = runner.invoke(args=["backup", "restore", "--yes", str(tmp_path / "none")])
    assert result.exit_code != 0


@pytest.mark.parametrize("answer", ["n\n", "\n"])
def test_restore_asks_first(runner, tmp_path: Path, answer: str):
    backup = tmp_path / "b.sqlite"
    backup.write_bytes(b"")
    result = runner.invoke(args=["backup", "restore", str(backup)], input=answer)
    assert result.exit_code != 0 and "Aborted" in result.output
