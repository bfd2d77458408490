"""Anonymous call events and their outcomes (did the resident reach someone?)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from backend.businesses.models import Business
from backend.calls.models import CallEvent
from backend.extensions import db
from backend.reference.catalogue import get_emergency


class CallEventError(ValueError):
    """A call event that refers to something that does not exist."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def record_call_event(
    public_id: str,
    business_id: int,
    category: str | None,
    channel: str,
    *,
    city_id: int | None = None,
) -> CallEvent:
    """Store a call event; a repeated id (a re-sent beacon) returns the stored event.

    ``city_id`` names the partner city whose widget the call came from.
    """
    existing = db.session.scalar(select(CallEvent).where(CallEvent.public_id == public_id))
    if existing is not None:
        return existing
    business = db.session.get(Business, business_id)
    if business is None or not business.active:
        raise CallEventError("business_id", f"No listed business has id {business_id}.")
    if category is not None:
        get_emergency(category)  # raises UnknownSlug listing the valid ones
    event = CallEvent(
        public_id=public_id,
        business_id=business_id,
        category=category,
        channel=channel,
        city_id=city_id,
    )
    db.session.add(event)
    db.session.flush()
    return event


def record_call_outcome(public_id: str, reached: bool) -> CallEvent:
    """Attach the resident's answer to an earlier call event."""
    event = db.session.scalar(select(CallEvent).where(CallEvent.public_id == public_id))
    if event is None:
        raise CallEventError("id", f"No call event with id {public_id}.")
    event.reached = reached
    db.session.flush()
    return event


def purge_call_events(retention_days: int, now: datetime | None = None) -> int:
    """Delete call events older than the stated retention; returns how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    result = db.session.execute(delete(CallEvent).where(CallEvent.at < cutoff))
    return result.rowcount or 0
