"""Build, or reuse, the benchmark database: migrations first, then a bulk load.

On SQLite the database is a file under the data directory, on PostgreSQL a database
of the server at ``--postgres-url``; both are named after (spread, size, seed,
generator version), so a rerun with the same flags reuses it, brought to the latest
migration first (as a production database would be). It is built under a temporary
name and renamed only when complete: an interrupted build is never taken for a cached
one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import Connection, create_engine, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from backend import create_app
from backend.businesses.models import Business, BusinessTrade
from backend.core.config import PROJECT_ROOT
from backend.extensions import db
from backend.organisations.models import GuildAssociation
from backend.reference.models import Trade
from backend.roster.models import RosterShift
from benchmarks.bulk_load import drop_secondary_indexes, insert_rows, reset_sequences
from benchmarks.synthetic import GENERATOR_VERSION, generate

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Dataset:
    """A ready benchmark database and what is in it."""

    url: str  # SQLAlchemy URL
    name: str  # file or database name
    businesses: int
    links: int
    shifts: int
    size_bytes: int
    build_seconds: float | None  # None when an earlier run's database was reused
    spread: str = "population"

    @property
    def engine(self) -> str:
        """``SQLite`` or ``PostgreSQL``."""
        return "PostgreSQL" if self.url.startswith("postgresql") else "SQLite"

    @property
    def label(self) -> str:
        """E.g. ``SQLite, population-weighted``."""
        spread = "evenly spread" if self.spread == "even" else "population-weighted"
        return f"{self.engine}, {spread}"


def dataset_name(businesses: int, seed: int, spread: str = "population") -> str:
    """The name (file stem or database) for this spread, size and seed."""
    prefix = "bench" if spread == "population" else f"bench-{spread}"
    return f"{prefix}-{businesses}-seed{seed}-v{GENERATOR_VERSION}"


def database_path(data_dir: Path, businesses: int, seed: int, spread: str = "population") -> Path:
    """Where the SQLite database for this spread, size and seed lives."""
    return data_dir / f"{dataset_name(businesses, seed, spread)}.sqlite"


def ensure_dataset(
    data_dir: Path,
    businesses: int,
    seed: int,
    log: Callable[[str], None] = print,
    *,
    spread: str = "population",
    postgres_url: str | None = None,
) -> Dataset:
    """The database for (``spread``, ``businesses``, ``seed``), built now unless an earlier
    run left it; on the PostgreSQL server at ``postgres_url`` if given, else in SQLite."""
    if postgres_url:
        url, seconds = _ensure_postgres(postgres_url, businesses, seed, spread, log)
    else:
        url, seconds = _ensure_sqlite(data_dir, businesses, seed, spread, log)
    engine = create_engine(_driver_url(url))
    with engine.connect() as connection:
        counts = [
            connection.scalar(select(func.count()).select_from(model))
            for model in (Business, BusinessTrade, RosterShift)
        ]
        size = _size_bytes(connection, url)
    engine.dispose()
    name = make_url(url).database or ""
    return Dataset(url, Path(name).name, *counts, size, seconds, spread)


def _ensure_sqlite(
    data_dir: Path, businesses: int, seed: int, spread: str, log: Callable[[str], None]
) -> tuple[str, float | None]:
    path = database_path(data_dir, businesses, seed, spread)
    seconds = None
    if path.exists():
        log(f"Reusing {path}")
        _upgrade(f"sqlite:///{path}", log)
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        for leftover in _with_sidecars(partial):
            leftover.unlink(missing_ok=True)
        started = perf_counter()
        _build(f"sqlite:///{partial}", businesses, seed, spread, log)
        os.replace(partial, path)
        seconds = perf_counter() - started
        log(f"Built {path} in {seconds:.1f} s")
    return f"sqlite:///{path}", seconds


def _ensure_postgres(
    server_url: str, businesses: int, seed: int, spread: str, log: Callable[[str], None]
) -> tuple[str, float | None]:
    name = dataset_name(businesses, seed, spread).replace("-", "_")
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(_driver_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if _pg_exists(connection, name):
                log(f"Reusing PostgreSQL database {name}")
                _upgrade(url, log)
                return url, None
            partial = name + "_partial"
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{partial}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{partial}" TEMPLATE template0')
            started = perf_counter()
            _build(make_url(url).set(database=partial).render_as_string(False),
                   businesses, seed, spread, log)  # fmt: skip
            connection.exec_driver_sql(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
            seconds = perf_counter() - started
            log(f"Built PostgreSQL database {name} in {seconds:.1f} s")
            return url, seconds
    finally:
        admin.dispose()


def _upgrade(url: str, log: Callable[[str], None]) -> None:
    """Apply the migrations newer than the database's (none: nothing happens)."""
    if _schema_revision(url) == _head_revision():
        return
    log("  applying the newer migrations")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _pg_exists(connection: Connection, name: str) -> bool:
    statement = "SELECT 1 FROM pg_database WHERE datname = %(name)s"
    return connection.exec_driver_sql(statement, {"name": name}).first() is not None


def _driver_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _size_bytes(connection: Connection, url: str) -> int:
    if url.startswith("postgresql"):
        return connection.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
    return Path(make_url(url).database).stat().st_size


def _schema_revision(url: str) -> str | None:
    engine = create_engine(_driver_url(url))
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except (OperationalError, ProgrammingError):
        return None
    finally:
        engine.dispose()


def _head_revision() -> str | None:
    return ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_current_head()


def _with_sidecars(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _build(url: str, businesses: int, seed: int, spread: str, log: Callable[[str], None]) -> None:
    """Migrate a fresh database (reference data included) and bulk-load the synthetic rows."""
    sqlite = url.startswith("sqlite")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        trade_ids = dict(db.session.execute(select(Trade.slug, Trade.id)).all())
        db.session.remove()
        with db.engine.connect() as connection:
            if sqlite:  # both only for the load: a crash mid-load just means a rebuild
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
            guild_id = connection.execute(
                insert(GuildAssociation).values(slug="bench", name="Benchmark (synthetic)")
            ).inserted_primary_key[0]
            indexes = drop_secondary_indexes(connection)
            started, loaded = perf_counter(), 0
            for batch in generate(businesses, seed, trade_ids, guild_id, spread=spread):
                insert_rows(connection, Business, batch.businesses)
                insert_rows(connection, BusinessTrade, batch.links)
                insert_rows(connection, RosterShift, batch.shifts)
                connection.commit()
                loaded += len(batch.businesses)
                log(f"  loaded {loaded:,} businesses ({perf_counter() - started:.0f} s)")
            for sql in indexes:
                connection.exec_driver_sql(sql)
            reset_sequences(connection)
            connection.commit()
            log(f"  rebuilt {len(indexes)} indexes ({perf_counter() - started:.0f} s)")
            # Statistics for the query planner, as autovacuum or `PRAGMA optimize` would
            # gather in production.
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
            if sqlite:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
