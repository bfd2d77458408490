"""What the messaging worker does every ``MESSAGING_HOUSEKEEPING_S`` seconds."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from redis import RedisError

from backend.calls.operations import purge_call_events
from backend.messaging.duty_notices import send_duty_notices
from backend.messaging.outbound import requeue_stale
from backend.messaging.purge import purge_resident_numbers
from backend.messaging.queue import redis_connection

# The call-event purge deletes from a large table: once an hour is enough for a
# retention counted in days (each run deletes what passes it within the next hour).
CALL_PURGE_INTERVAL = timedelta(hours=1)


def run_housekeeping(now: datetime) -> dict[str, int]:
    """Purge due numbers and call events, send duty notices, re-enqueue lost messages.

    Counts of what was done, by kind. The caller commits.
    """
    interval = timedelta(seconds=current_app.config["MESSAGING_HOUSEKEEPING_S"])
    # Twice the interval: a late tick must not let a number outlive the retention.
    purged = purge_resident_numbers(now, margin=2 * interval)
    done = {"purged": purged, **send_duty_notices(now), "requeued": requeue_stale(now)}
    if _call_purge_due():
        days = current_app.config["CALL_EVENT_RETENTION_DAYS"]
        done["call_events_purged"] = purge_call_events(days, now + 2 * CALL_PURGE_INTERVAL)
    return done


def _call_purge_due() -> bool:
    """True once per ``CALL_PURGE_INTERVAL`` across every worker (a lock in Redis)."""
    lock = f"{current_app.config['MESSAGING_QUEUE']}:call-purge-lock"
    seconds = int(CALL_PURGE_INTERVAL.total_seconds())
    try:
        return bool(redis_connection().set(lock, "1", nx=True, ex=seconds))
    except RedisError:  # no Redis, no schedule: the next tick tries again
        return False
