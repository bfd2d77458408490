"""The search data version: database triggers move it on with every write the search reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError

from backend.businesses.models import Business, BusinessTrade
from backend.extensions import db
from backend.roster.models import RosterShift
from backend.search.data_version import SearchDataVersion, read_data_version
from tests import factories


def version() -> int:
    """The committed version, read on a connection of its own."""
    with db.engine.connect() as connection:
        return read_data_version(connection)


def test_every_kind_of_write_to_the_searched_tables_moves_the_version_on(app_context):
    business = factories.business(trades=("klempner",))
    written = []

    def wrote(statement) -> None:
        before = version()
        db.session.execute(statement)
        db.session.commit()
        written.append(version() > before)

    start = datetime(2026, 12, 5, 18, tzinfo=UTC)
    wrote(update(Business).where(Business.id == business.id).values(name="Neu"))
    wrote(
        RosterShift.__table__.insert().values(
            business_id=business.id, trade_id=factories.trade("klempner").id,
            starts_at=start, ends_at=start + timedelta(hours=12), created_at=start,
        )
    )  # fmt: skip
    wrote(update(RosterShift).values(ends_at=start + timedelta(hours=13)))
    wrote(delete(RosterShift))
    wrote(update(BusinessTrade).values(lat=51.9))
    wrote(delete(BusinessTrade))
    wrote(delete(Business))
    assert written == [True] * 7


def test_raw_sql_from_outside_the_app_counts_too(app_context):
    business = factories.business()
    before = version()
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE businesses SET active = false WHERE id = :id"), {"id": business.id}
        )
    assert version() > before


def test_a_rolled_back_write_leaves_the_version(app_context):
    business = factories.business()
    before = version()
    db.session.execute(update(Business).where(Business.id == business.id).values(name="X"))
    assert read_data_version(db.session.connection()) > before  # inside the transaction
    db.session.rollback()
    assert version() == before


def test_writes_elsewhere_leave_the_version(app_context):
    factories.business()
    before = version()
    factories.guild(slug="andere", name="Andere Innung")
    db.session.commit()
    assert version() == before


def test_there_is_exactly_one_version_row(app_context):
    assert db.session.scalars(select(SearchDataVersion.id)).all() == [1]
    db.session.add(SearchDataVersion(id=2, version=0))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
