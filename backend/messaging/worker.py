"""The messaging worker: an RQ worker that runs jobs inside this application.

One process, no fork per job: the jobs use the application's database engine and
configuration, pushed once as an app context. Next to the worker a small thread puts
the housekeeping job on the queue every ``MESSAGING_HOUSEKEEPING_S`` seconds; a lock in
Redis makes several workers share one schedule.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask
from redis import Redis, RedisError
from rq import SimpleWorker
from rq.timeouts import TimerDeathPenalty

from backend.messaging.queue import HOUSEKEEPING_JOB, messaging_queue, redis_connection

log = logging.getLogger(__name__)


class MessagingWorker(SimpleWorker):
    """SimpleWorker that may also run off the main thread (job timeouts by timer then)."""

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is threading.main_thread():
            super()._install_signal_handlers()
        else:
            self.death_penalty_class = TimerDeathPenalty


def schedule_housekeeping(app: Flask, connection: Redis) -> bool:
    """Enqueue the housekeeping job unless another worker did within the interval."""
    interval = int(app.config["MESSAGING_HOUSEKEEPING_S"])
    lock = f"{app.config['MESSAGING_QUEUE']}:housekeeping-lock"
    if not connection.set(lock, "1", nx=True, ex=max(interval - 1, 1)):
        return False
    messaging_queue(connection).enqueue(HOUSEKEEPING_JOB, job_timeout=300)
    return True


def run_worker(app: Flask, *, burst: bool = False, with_scheduler: bool = True) -> bool:
    """Work the messaging queue until stopped (or, with ``burst``, until it is empty)."""
    with app.app_context():
        connection = redis_connection()
        queue = messaging_queue(connection)
        stop = threading.Event()
        ticker = None
        if not burst:
            ticker = threading.Thread(
                target=_tick, args=(app, connection, stop), name="housekeeping", daemon=True
            )
            ticker.start()
        try:
            worker = MessagingWorker([queue], connection=connection)
            # The scheduler moves retries whose backoff has passed back onto the queue.
            return worker.work(burst=burst, with_scheduler=with_scheduler, logging_level="INFO")
        finally:
            stop.set()


def _tick(app: Flask, connection: Redis, stop: threading.Event) -> None:
    interval = float(app.config["MESSAGING_HOUSEKEEPING_S"])
    while not stop.is_set():
        try:
            with app.app_context():  # a thread of its own: no context is inherited
                schedule_housekeeping(app, connection)
        except RedisError as exc:
            log.warning("housekeeping not scheduled: %s", exc)
        stop.wait(interval)
