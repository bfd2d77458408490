"""The migrations create exactly the schema the models declare, with the reference data."""

import re
import warnings
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateIndex

from backend.businesses.models import Business, BusinessTrade
from backend.extensions import db
from backend.reference.models import EmergencyCategory, Trade
from backend.roster.models import RosterShift
from backend.search.data_version import SearchDataVersion
from tests import factories

# Indexes on expressions. SQLAlchemy cannot reflect them from SQLite, so on SQLite
# autogenerate skips them (with a warning each) and test_expression_indexes_on_sqlite
# compares their CREATE INDEX statements instead. PostgreSQL compares them as usual.
EXPRESSION_INDEXES = {"ix_business_trades_trade_cell", "uq_businesses_guild_ref_key"}

TRADE_SLUGS = {
    "installateur-heizungsbauer", "klempner", "elektrotechniker", "dachdecker", "zimmerer",
    "glaser", "tischler", "metallbauer", "kfz-techniker", "schornsteinfeger",
    "kaelteanlagenbauer", "rollladen-sonnenschutztechniker",
}  # fmt: skip


def test_models_and_migrations_agree(app_context):
    with db.engine.connect() as connection, warnings.catch_warnings():
        if connection.dialect.name == "sqlite":
            for name in EXPRESSION_INDEXES:  # only these: any other skip still fails
                warnings.filterwarnings("ignore", f".*expression-based index '?{name}\\b")
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_expression_indexes_on_sqlite(app_context):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL reflects expression indexes: compared by autogenerate above")
    declared = {
        index.name: CreateIndex(index).compile(dialect=db.engine.dialect).string
        for table in (Business.__table__, BusinessTrade.__table__)
        for index in table.indexes
        if index.name in EXPRESSION_INDEXES
    }
    assert declared.keys() == EXPRESSION_INDEXES
    for name, sql in declared.items():
        created = db.session.scalar(
            text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"),
            {"name": name},
        )
        assert created is not None, f"{name} is declared but no migration creates it"
        assert _tokens(created) == _tokens(sql)


def _tokens(sql: str) -> list[str]:
    """Words and symbols of ``sql``, so that spacing and quoting do not matter."""
    return re.findall(r"\w+|[^\w\s\"]", sql)


def test_reference_trades_have_published_slugs(app_context):
    assert set(db.session.scalars(select(Trade.slug))) == TRADE_SLUGS


def test_emergencies_map_to_trades_as_published(app_context):
    categories = {c.slug: c for c in db.session.scalars(select(EmergencyCategory))}
    assert {t.slug for t in categories["wasser"].trades} == {
        "installateur-heizungsbauer",
        "klempner",
    }
    assert {t.slug for t in categories["dach"].trades} == {"dachdecker", "zimmerer", "klempner"}
    assert {t.slug for t in categories["schluessel"].trades} == {"metallbauer", "tischler"}
    assert categories["gasgeruch"].trades == []
    assert categories["gasgeruch"].safety_level == "advice_only"
    assert categories["wasser"].safety_level == "safety_first"
    assert categories["strom"].safety_level == "safety_first"
    assert len(categories) == 11


def test_the_search_data_version_survives_down_and_up_without_repeating(app, app_context):
    """Migration 0004 can be undone and redone; the new counter starts above the old one."""
    before = db.session.scalar(select(SearchDataVersion.version))
    db.session.remove()
    downgrade(revision="0003")
    assert "search_data_version" not in sa.inspect(db.engine).get_table_names()
    upgrade()
    started = db.session.scalar(select(SearchDataVersion.version))
    factories.business()  # the triggers are back
    assert db.session.scalar(select(SearchDataVersion.version)) > started > before


def test_migrating_down_and_up_keeps_links_and_shifts_and_enforcement(app, app_context):
    """Migrations keep the data, and SQLite connections enforce foreign keys afterwards.

    (SQLite migrations run without enforcement, so that a batch copy of a parent table
    cannot cascade; the pooled connection they ran on must get it back.)
    """
    business = factories.business(trades=("klempner", "dachdecker"))
    start = datetime(2026, 12, 24, 18, tzinfo=UTC)
    factories.shift(business, "dachdecker", start, start.replace(hour=23))
    db.session.remove()
    downgrade(revision="0002")
    upgrade()
    assert db.session.scalar(select(func.count()).select_from(BusinessTrade)) == 2
    assert db.session.scalar(select(func.count()).select_from(RosterShift)) == 1
    with pytest.raises(IntegrityError):
        db.session.execute(
            insert(BusinessTrade).values(business_id=999_999, trade_id=1, lat=51.9, lon=11.0)
        )
        db.session.flush()
    db.session.rollback()


def test_a_migration_that_leaves_dangling_rows_fails_on_sqlite(app, app_context, caplog):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL never lets a migration leave dangling rows")
    db.session.remove()
    downgrade(revision="0003")
    with db.engine.connect() as connection:  # as a broken migration would leave it
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.execute(
            insert(BusinessTrade).values(business_id=999_999, trade_id=1, lat=51.9, lon=11.0)
        )
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
    with pytest.raises(SystemExit):  # flask-migrate logs the error and exits with 1
        upgrade()
    assert "dangling foreign keys: [('business_trades'" in caplog.text
    assert "search_data_version" in sa.inspect(db.engine).get_table_names()  # committed
    upgrade()  # nothing left to run: no check (it reads every child table), no error
    db.session.execute(delete(BusinessTrade).where(BusinessTrade.business_id == 999_999))
    db.session.commit()
