"""Queue jobs: what the messaging worker runs, each one unit of work that commits once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from rq import get_current_job

from backend.extensions import db
from backend.messaging.callbacks import call_failed, call_started, call_status_changed
from backend.messaging.housekeeping import run_housekeeping
from backend.messaging.outbound import RetryLater, deliver

log = logging.getLogger(__name__)


def deliver_job(message_id: int) -> str:
    """Deliver one message; a failed attempt is committed, then raised for RQ to retry."""
    job = get_current_job()
    last_attempt = job is None or not job.retries_left
    try:
        message, sent = deliver(message_id, last_attempt=last_attempt)
        callback = message.callback if message is not None else None
        if callback is not None and message.kind == "call":
            if sent is not None:
                call_started(callback, sent.sid)
                if sent.simulated_call_status:  # the console provider: nobody can answer
                    call_status_changed(callback, sent.simulated_call_status)
            elif message.status == "failed":
                call_failed(callback, message.last_error or "")
        db.session.commit()
        return message.status if message is not None else "gone"
    except RetryLater:
        db.session.commit()  # the failed attempt stays recorded
        raise
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.remove()


def housekeeping_job() -> dict[str, int]:
    """The worker's periodic job: purge numbers, duty notices, re-enqueue lost messages."""
    try:
        done = run_housekeeping(datetime.now(UTC))
        db.session.commit()
        return done
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.remove()
