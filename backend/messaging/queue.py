"""The RQ queue on the product's Redis that carries every outbound SMS and call.

A job carries only the id of an :class:`~backend.messaging.models.OutboundMessage`.
Messages are enqueued after the unit of work that created them commits (a session
listener below), so a worker never looks for a row that is not there yet; a message
whose enqueue failed (Redis down) stays ``queued`` in the database and the worker's
housekeeping enqueues it again: nothing is lost.
"""

from __future__ import annotations

import logging

from flask import current_app, has_app_context
from redis import Redis, RedisError
from rq import Queue, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_PENDING = "messaging_pending_ids"
# By name: the job module imports the operations, which import this module.
DELIVER_JOB = "backend.messaging.jobs.deliver_job"
HOUSEKEEPING_JOB = "backend.messaging.jobs.housekeeping_job"


def redis_connection() -> Redis:
    """A connection to ``REDIS_URL`` (the cache's and the limiter's Redis)."""
    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=3)


def messaging_queue(connection: Redis | None = None) -> Queue:
    """The messaging queue (``MESSAGING_QUEUE``)."""
    config = current_app.config
    return Queue(
        config["MESSAGING_QUEUE"],
        connection=connection or redis_connection(),
        default_timeout=config["MESSAGING_JOB_TIMEOUT_S"],
    )


def retry_policy() -> Retry | None:
    """One retry per entry of ``MESSAGING_RETRY_INTERVALS_S``, after that many seconds."""
    intervals = list(current_app.config["MESSAGING_RETRY_INTERVALS_S"])
    return Retry(max=len(intervals), interval=intervals) if intervals else None


def enqueue_delivery(message_id: int, queue: Queue | None = None) -> bool:
    """Put one delivery job on the queue; False (and a warning) when Redis is not there."""
    try:
        (queue or messaging_queue()).enqueue(
            DELIVER_JOB, message_id, retry=retry_policy(), job_id=f"deliver-{message_id}"
        )
    except RedisError as exc:
        log.warning("message %s not enqueued (%s): housekeeping will retry", message_id, exc)
        return False
    return True


def enqueue_after_commit(session: Session, message_id: int) -> None:
    """Deliver ``message_id`` once the session's transaction commits (never before)."""
    session.info.setdefault(_PENDING, []).append(message_id)


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending and has_app_context():
        queue = messaging_queue()
        for message_id in pending:
            enqueue_delivery(message_id, queue)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
