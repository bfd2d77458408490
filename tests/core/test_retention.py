"""Retention runs by itself: the worker's housekeeping purges call events and numbers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.calls.models import CallEvent
from backend.extensions import db
from backend.messaging.housekeeping import run_housekeeping
from tests import factories


@pytest.fixture
def queue_name(app, app_context, monkeypatch, redis_client):
    """A queue (and so a purge lock) of this test's own."""
    name = f"test-retention-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "MESSAGING_QUEUE", name)
    yield name
    redis_client.delete(f"{name}:call-purge-lock")


def call_event(business_id: int, at: datetime) -> None:
    """An anonymous call event made at ``at``."""
    db.session.add(
        CallEvent(public_id=str(uuid.uuid4()), business_id=business_id, channel="app", at=at)
    )


def test_housekeeping_purges_old_call_events_once_an_hour(app, queue_name):
    now = datetime.now(UTC)
    days = app.config["CALL_EVENT_RETENTION_DAYS"]
    business = factories.business()
    call_event(business.id, now - timedelta(days=days, minutes=1))
    call_event(business.id, now - timedelta(days=days - 1))
    db.session.commit()
    done = run_housekeeping(now)
    db.session.commit()
    assert done["call_events_purged"] == 1
    remaining = db.session.scalars(select(CallEvent.at)).all()
    assert [at.date() for at in remaining] == [(now - timedelta(days=days - 1)).date()]
    # The next tick within the hour leaves the large table alone (any worker's tick).
    assert "call_events_purged" not in run_housekeeping(now + timedelta(minutes=1))
