"""What the messaging worker does every ``MESSAGING_HOUSEKEEPING_S`` seconds."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from backend.messaging.duty_notices import send_duty_notices
from backend.messaging.outbound import requeue_stale
from backend.messaging.purge import purge_resident_numbers


def run_housekeeping(now: datetime) -> dict[str, int]:
    """Purge due numbers, send duty requests, reminders and alerts, re-enqueue lost messages.

    Counts of what was done, by kind. The caller commits.
    """
    interval = timedelta(seconds=current_app.config["MESSAGING_HOUSEKEEPING_S"])
    # Twice the interval: a late tick must not let a number outlive the retention.
    purged = purge_resident_numbers(now, margin=2 * interval)
    return {"purged": purged, **send_duty_notices(now), "requeued": requeue_stale(now)}
