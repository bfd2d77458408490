"""Foreign keys hold on every database: SQLite enforces them only when asked."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from backend import create_app
from backend.businesses.models import Business, BusinessTrade
from backend.calls.models import CallEvent
from backend.extensions import db, limiter
from backend.roster.models import RosterShift
from tests import factories


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_every_pooled_connection_enforces_foreign_keys(app_context):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL always enforces foreign keys")
    db.engine.dispose()  # new connections, not only the one the fixtures warmed up
    with db.engine.connect() as first, db.engine.connect() as second:
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_trade_link_to_a_missing_business_is_refused(app_context):
    trade = factories.trade("klempner")
    with pytest.raises(IntegrityError):
        db.session.execute(
            insert(BusinessTrade).values(business_id=999_999, trade_id=trade.id, lat=51.9, lon=11.0)
        )
        db.session.flush()
    db.session.rollback()
    assert _count(BusinessTrade) == 0


def test_deleting_a_business_row_removes_its_links_shifts_and_call_events(app_context):
    """Even a plain DELETE (a SQL console, a Core statement) leaves nothing dangling."""
    doomed = factories.business(trades=("klempner", "elektrotechniker"))
    kept = factories.business(trades=("klempner",))
    start = datetime(2026, 12, 24, 18, tzinfo=UTC)
    factories.shift(doomed, "klempner", start, start.replace(hour=23))
    db.session.add(CallEvent(public_id="c" * 36, business_id=doomed.id, channel="phone"))
    db.session.commit()
    doomed_id, kept_id = doomed.id, kept.id
    db.session.expunge_all()

    db.session.execute(delete(Business).where(Business.id == doomed_id))
    db.session.commit()

    assert db.session.scalars(select(BusinessTrade.business_id)).all() == [kept_id]
    assert _count(RosterShift) == 0
    assert _count(CallEvent) == 0


def test_deleting_a_trade_still_linked_is_refused(app_context):
    factories.business(trades=("glaser",))
    with pytest.raises(IntegrityError):
        db.session.execute(text("DELETE FROM trades WHERE slug = 'glaser'"))
        db.session.flush()
    db.session.rollback()
    assert _count(BusinessTrade) == 1


def test_sqlite_files_use_write_ahead_logging(app_context):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL readers never block writers")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_an_open_read_does_not_block_a_write(app_context):
    """As while an index build reads: a resident's call event is stored at once."""
    business_id = factories.business().id
    with db.engine.connect() as reader, db.engine.connect() as writer:
        if reader.dialect.name == "sqlite":
            # pysqlite opens no transaction for a SELECT: open one that holds its snapshot.
            reader.exec_driver_sql("BEGIN")
            writer.exec_driver_sql("PRAGMA busy_timeout = 0")  # fail at once, not after 5 s
        assert reader.execute(select(func.count()).select_from(Business)).scalar() == 1
        writer.execute(
            insert(CallEvent).values(public_id="w" * 36, business_id=business_id, channel="app")
        )
        writer.commit()
        reader.rollback()
    assert _count(CallEvent) == 1


def test_postgresql_pools_keep_a_connection_per_thread(app):
    """SQLAlchemy's default (5 kept) made 16-thread workers open a connection per request."""
    other = create_app({"TESTING": True, "SECRET_KEY": "x", "SEARCH_INDEX": "off",
                        "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none",
                        "DATABASE_POOL_SIZE": 20, "DATABASE_MAX_OVERFLOW": 7})  # fmt: skip
    with other.app_context():
        pool = db.engine.pool  # made without connecting
        assert (pool.size(), pool._max_overflow) == (20, 7)
    limiter.init_app(app)  # the one limiter back on the session's app
