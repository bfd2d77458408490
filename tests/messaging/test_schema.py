"""Migration 0005 keeps the search data version triggers on roster_shifts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from backend.extensions import db
from backend.search.data_version import SearchDataVersion
from tests import factories


def test_roster_shift_writes_still_move_the_search_data_version(app_context):
    business = factories.business()
    before = db.session.scalar(select(SearchDataVersion.version))
    start = datetime(2026, 12, 24, 18, tzinfo=UTC)
    shift = factories.shift(business, "klempner", start, start.replace(hour=23))
    assert shift.source == "plan" and shift.confirmed_at is None
    after_insert = db.session.scalar(select(SearchDataVersion.version))
    shift.confirmed_at = start
    db.session.commit()
    assert db.session.scalar(select(SearchDataVersion.version)) > after_insert > before


def test_the_privacy_page_states_the_callback_retention(client):
    german = client.get("/datenschutz").get_data(as_text=True)
    assert "Rückrufbitten" in german and "spätestens 24 Stunden nach Ihrer Anfrage" in german
