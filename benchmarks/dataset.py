"""Build, or reuse, the benchmark database: migrations first, then a bulk load.

The database is a SQLite file under the data directory named after (size, seed,
generator version), so a rerun with the same flags reuses it, unless a newer
migration exists. It is built under a
temporary name and renamed only when complete: an interrupted build is never
taken for a cached one.
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
from sqlalchemy.exc import OperationalError

from backend import create_app
from backend.businesses.models import Business, BusinessTrade
from backend.core.config import PROJECT_ROOT
from backend.extensions import db
from backend.organisations.models import GuildAssociation
from backend.reference.models import Trade
from backend.roster.models import RosterShift
from benchmarks.synthetic import GENERATOR_VERSION, generate

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"
# Secondary indexes are dropped during the load and rebuilt once at the end.
_LOADED_TABLES = ("businesses", "business_trades", "roster_shifts")


@dataclass(frozen=True)
class Dataset:
    """A ready benchmark database and what is in it."""

    path: Path
    businesses: int
    links: int
    shifts: int
    size_bytes: int
    build_seconds: float | None  # None when an earlier run's database was reused

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the database."""
        return f"sqlite:///{self.path}"


def database_path(data_dir: Path, businesses: int, seed: int) -> Path:
    """Where the database for this size and seed lives."""
    return data_dir / f"bench-{businesses}-seed{seed}-v{GENERATOR_VERSION}.sqlite"


def ensure_dataset(
    data_dir: Path, businesses: int, seed: int, log: Callable[[str], None] = print
) -> Dataset:
    """The database for (``businesses``, ``seed``), built now unless an earlier run left it."""
    path = database_path(data_dir, businesses, seed)
    seconds = None
    if path.exists() and _schema_revision(path) != _head_revision():
        log(f"Rebuilding {path}: it predates the latest migration")
        path.unlink()
    if path.exists():
        log(f"Reusing {path}")
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        for leftover in _with_sidecars(partial):
            leftover.unlink(missing_ok=True)
        started = perf_counter()
        _build(partial, businesses, seed, log)
        os.replace(partial, path)
        seconds = perf_counter() - started
        log(f"Built {path} in {seconds:.1f} s")
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        counts = [
            connection.scalar(select(func.count()).select_from(model))
            for model in (Business, BusinessTrade, RosterShift)
        ]
    engine.dispose()
    return Dataset(path, *counts, size_bytes=path.stat().st_size, build_seconds=seconds)


def _schema_revision(path: Path) -> str | None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except OperationalError:
        return None
    finally:
        engine.dispose()


def _head_revision() -> str | None:
    return ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_current_head()


def _with_sidecars(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _build(path: Path, businesses: int, seed: int, log: Callable[[str], None]) -> None:
    """Migrate a fresh database (reference data included) and bulk-load the synthetic rows."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        trade_ids = dict(db.session.execute(select(Trade.slug, Trade.id)).all())
        db.session.remove()
        with db.engine.connect() as connection:
            # Both only for the load: a crash mid-load just means a rebuild.
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
            guild_id = connection.execute(
                insert(GuildAssociation).values(slug="bench", name="Benchmark (synthetic)")
            ).inserted_primary_key[0]
            indexes = _drop_secondary_indexes(connection)
            started, loaded = perf_counter(), 0
            for batch in generate(businesses, seed, trade_ids, guild_id):
                connection.execute(insert(Business), batch.businesses)
                connection.execute(insert(BusinessTrade), batch.links)
                if batch.shifts:
                    connection.execute(insert(RosterShift), batch.shifts)
                connection.commit()
                loaded += len(batch.businesses)
                log(f"  loaded {loaded:,} businesses ({perf_counter() - started:.0f} s)")
            for sql in indexes:
                connection.exec_driver_sql(sql)
            connection.commit()
            log(f"  rebuilt {len(indexes)} indexes ({perf_counter() - started:.0f} s)")
            # Statistics for the query planner, as `PRAGMA optimize` would gather in production.
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()


def _drop_secondary_indexes(connection: Connection) -> list[str]:
    """Drop the explicit indexes of the loaded tables; return the SQL that recreates them."""
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN {_LOADED_TABLES!r}"
    ).all()
    for name, _ in rows:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    connection.commit()
    return [sql for _, sql in rows]
