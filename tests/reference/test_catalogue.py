"""Reference data is read once per application and served from memory."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from backend.extensions import db
from backend.reference import catalogue as reference
from backend.reference.catalogue import UnknownSlug
from backend.reference.models import EmergencyCategory, Trade


@pytest.fixture
def statements(app_context):
    """SQL statements run while the test body runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_catalogue_is_read_once(statements):
    reference.clear_catalogue()
    first = reference.catalogue()
    read = len(statements)
    assert read == 3  # trades, emergency links, categories
    assert reference.catalogue() is first
    reference.get_trade("klempner")
    reference.get_emergency("wasser")
    reference.list_trades()
    reference.list_emergencies()
    assert len(statements) == read


def test_clear_catalogue_reads_again(statements):
    first = reference.catalogue()
    reference.clear_catalogue()
    assert reference.catalogue() is not first
    assert reference.catalogue() == first


def test_catalogue_matches_the_tables(app_context):
    catalogue = reference.catalogue()
    trades = db.session.scalars(select(Trade).order_by(Trade.sort_order, Trade.id)).all()
    assert [(t.id, t.slug, t.name_de, t.name_en) for t in trades] == [
        (t.id, t.slug, t.name_de, t.name_en) for t in catalogue.trades
    ]
    for category in db.session.scalars(select(EmergencyCategory)):
        cached = reference.get_emergency(category.slug)
        assert [t.slug for t in cached.trades] == [t.slug for t in category.trades]
        assert (cached.safety is None) == (category.safety_level == "none")
        if cached.safety:
            assert cached.safety["call_first"] == category.first_call


def test_lookups(app_context):
    assert reference.get_trade("klempner").name_de == "Klempner"
    assert reference.trades_by_slug()["klempner"] == reference.get_trade("klempner")
    klempner = reference.get_trade("klempner")
    assert reference.trade_slugs_by_id()[klempner.id] == "klempner"
    assert reference.get_emergency("heizung").safety is None
    assert reference.get_emergency("strom").safety["level"] == "safety_first"


def test_unknown_slugs_list_the_valid_ones(app_context):
    with pytest.raises(UnknownSlug) as trade:
        reference.get_trade("plumber")
    assert trade.value.valid == sorted(t.slug for t in reference.list_trades())
    with pytest.raises(UnknownSlug) as emergency:
        reference.get_emergency("feuer")
    assert "gasgeruch" in emergency.value.valid
    assert emergency.value.valid == sorted(emergency.value.valid)


def test_trades_by_slug_is_a_copy(app_context):
    reference.trades_by_slug().clear()
    assert reference.trades_by_slug()
