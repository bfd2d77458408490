"""Anonymous call events and their outcomes (did the resident reach someone?)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backend.businesses.models import Business
from backend.calls.models import CallEvent
from backend.extensions import db
from backend.reference.catalogue import get_emergency


class CallEventError(ValueError):
    """A call event that refers to something that does not exist or does not fit.

    ``status`` is the HTTP status a view answers with: 422 for a bad reference, 409 for
    a call id already stored with other values.
    """

    def __init__(self, parameter: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.status = status


def record_call_event(
    public_id: str,
    business_id: int,
    category: str | None,
    channel: str,
    *,
    city_id: int | None = None,
) -> CallEvent:
    """Store a call event; a repeated id (a re-sent beacon) returns the stored event.

    The business must be listed and, with a category, have one of the category's trades.
    Two requests with the same id at once store it once (insert-or-ignore on the unique
    public id, so neither fails); a repeated id for another business is refused (409),
    so a replay cannot move a call to a business it was never made to.
    ``city_id`` names the partner city whose widget the call came from.
    """
    existing = _find(public_id)
    if existing is None:
        _check_reference(business_id, category)
        values = {
            "public_id": public_id,
            "business_id": business_id,
            "category": category,
            "channel": channel,
            "city_id": city_id,
        }
        db.session.execute(
            _insert()(CallEvent)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["public_id"])
        )
        existing = _find(public_id)
    if existing.business_id != business_id or existing.category != category:
        raise CallEventError(
            "id", f"Call event {public_id} was recorded for another business or category.", 409
        )
    return existing


def _insert():
    """The dialect's INSERT, which knows ``ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL)."""
    return sqlite_insert if db.session.get_bind().dialect.name == "sqlite" else postgresql_insert


def _find(public_id: str) -> CallEvent | None:
    return db.session.scalar(select(CallEvent).where(CallEvent.public_id == public_id))


def _check_reference(business_id: int, category: str | None) -> None:
    """The business is listed and, for a category, has one of the trades that help."""
    business = db.session.get(Business, business_id)
    if business is None or not business.active:
        raise CallEventError("business_id", f"No listed business has id {business_id}.")
    if category is None:
        return
    helping = {trade.slug for trade in get_emergency(category).trades}  # UnknownSlug if bad
    if not helping & {trade.slug for trade in business.trades}:
        raise CallEventError(
            "category",
            f"Business {business_id} has none of the trades that help with '{category}'.",
        )


def record_call_outcome(public_id: str, reached: bool) -> CallEvent:
    """Attach the resident's answer to an earlier call event; it is given once.

    The same answer again (a re-sent request) changes nothing; another answer is refused
    (409), so nobody can flip the "reached" statistics of calls made earlier.
    """
    event = _find(public_id)
    if event is None:
        raise CallEventError("id", f"No call event with id {public_id}.", 404)
    if event.reached is not None and event.reached != reached:
        raise CallEventError("reached", f"Call event {public_id} already has an answer.", 409)
    event.reached = reached
    db.session.flush()
    return event


def purge_call_events(retention_days: int, now: datetime | None = None) -> int:
    """Delete call events older than the stated retention; returns how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    result = db.session.execute(delete(CallEvent).where(CallEvent.at < cutoff))
    return result.rowcount or 0
