"""``flask calls purge``."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.calls.models import CallEvent
from backend.extensions import db
from tests import factories


def test_purge_deletes_only_events_past_retention(runner, app):
    business = factories.business()
    now = datetime.now(UTC)
    for public_id, age in (("old", 400), ("recent", 10)):
        db.session.add(
            CallEvent(public_id=public_id, business_id=business.id, channel="app",
                      at=now - timedelta(days=age))
        )  # fmt: skip
    db.session.commit()
    result = runner.invoke(args=["calls", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 call events older than 365 days" in result.output
    assert db.session.scalars(select(CallEvent.public_id)).all() == ["recent"]
