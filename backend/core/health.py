"""Health checks for load balancers and supervisors: ``/healthz`` and ``/readyz``.

- ``/healthz``: the process answers (liveness). It touches nothing else, so a
  database outage never makes a supervisor restart healthy processes.
- ``/readyz``: the database answers ``SELECT 1`` and Redis answers ``PING``, each
  within ``READYZ_TIMEOUT_S`` (readiness: send this process traffic). Otherwise
  ``503`` problem+json naming what failed, with ``Retry-After``.

A check runs in a thread of its own and is waited for at most the timeout: a database
that accepts a connection and then never answers cannot hold the probe. While an
earlier check of the same kind is still stuck, the process is reported not ready at
once instead of piling up more stuck threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import redis
from flask import Blueprint, Flask, Response, current_app, jsonify
from sqlalchemy import text

from backend.core.errors import problem_response
from backend.extensions import db

bp = Blueprint("health", __name__)

_lock = threading.Lock()


def check_database(app: Flask) -> None:
    """Run ``SELECT 1`` on a pooled connection of the app's engine."""
    with app.app_context(), db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def check_redis(app: Flask) -> None:
    """``PING`` ``REDIS_URL`` (an empty URL means no Redis is used: nothing to check)."""
    url = app.config.get("REDIS_URL")
    if not url:
        return
    timeout = float(app.config["READYZ_TIMEOUT_S"])
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


CHECKS: dict[str, Callable[[Flask], None]] = {"database": check_database, "redis": check_redis}


def run_check(name: str, app: Flask, timeout_s: float) -> str:
    """``ok``, ``timeout`` or ``error`` for the check ``name``, waiting at most ``timeout_s``."""
    probes = app.extensions.setdefault("readyz", {})
    with _lock:
        executor, running = probes.get(name, (None, None))
        if running is not None and not running.done():
            return "timeout"  # the previous probe is still stuck
        if executor is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"readyz-{name}")
        future: Future = executor.submit(CHECKS[name], app)
        probes[name] = (executor, future)
    try:
        future.result(timeout=timeout_s)
    except FutureTimeout:
        return "timeout"
    except Exception:  # any failure of the dependency means "not ready"
        return "error"
    return "ok"


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers (no database, no Redis)."""
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: the database and Redis answer within ``READYZ_TIMEOUT_S``."""
    app = current_app._get_current_object()
    timeout = float(app.config["READYZ_TIMEOUT_S"])
    checks = {name: run_check(name, app, timeout) for name in app.config["READYZ_CHECKS"]}
    failed = sorted(name for name, state in checks.items() if state != "ok")
    if failed:
        response = problem_response(
            503,
            "Service Unavailable",
            f"Not ready: {', '.join(failed)} did not answer within {timeout:g} s.",
            checks=checks,
        )
        response.headers["Retry-After"] = str(app.config["DATABASE_RETRY_AFTER_S"])
    else:
        response = jsonify(status="ok", checks=checks)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register ``/healthz`` and ``/readyz``."""
    app.register_blueprint(bp)
