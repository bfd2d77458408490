"""A database that is down, hung or overloaded: answer 503 quickly, recover by itself.

Without timeouts a request waits as long as the database does: a server that accepts
connections and never answers held every worker thread for gunicorn's 30 s, then the
client got gunicorn's HTML 500. So every connection of the app's engine carries

- a connect timeout (``DATABASE_CONNECT_TIMEOUT_S``; libpq rounds it up to 2 s),
- a statement timeout on PostgreSQL (``DATABASE_STATEMENT_TIMEOUT_MS``, via
  ``options``), a busy timeout on SQLite (``DATABASE_BUSY_TIMEOUT_S``: how long a
  writer waits for another writer's lock),
- a pool checkout timeout (``DATABASE_POOL_TIMEOUT_S``: all connections busy),
- ``pool_pre_ping``: a connection that died while the server restarted is replaced on
  checkout instead of failing the request, so nothing needs restarting afterwards.

Whatever still fails with the database (refused, timed out, restarted) is answered
``503`` problem+json with ``Retry-After``: the resident's app may try again, and the
load balancer's ``/readyz`` says the same thing.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from flask import Flask, Response
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import InternalServerError

from backend.core.errors import http_exception_to_problem, problem_response
from backend.extensions import db

log = logging.getLogger(__name__)

# What a database that is unavailable raises: OperationalError (refused, reset,
# statement or connect timeout, SQLite locked), the pool's TimeoutError, and DBAPIError
# wrappers whose connection was invalidated (a server that went away mid-statement).
UNAVAILABLE_ERRORS = (OperationalError, PoolTimeoutError)


def configure_engine(app: Flask) -> None:
    """Add the timeouts and ``pool_pre_ping`` to ``SQLALCHEMY_ENGINE_OPTIONS``.

    Call before ``db.init_app``; options already given (tests, instance config) win,
    and a given ``options`` string (e.g. a ``search_path``) keeps its settings.
    """
    config = app.config
    options: dict[str, Any] = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", True)
    connect_args = dict(options.get("connect_args") or {})
    backend = make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if backend == "postgresql":
        connect_args.setdefault("connect_timeout", int(config["DATABASE_CONNECT_TIMEOUT_S"]))
        # A server host that vanished (not one that refuses): unacknowledged data drops
        # the connection after a few seconds instead of the kernel's 15 minutes.
        connect_args.setdefault("tcp_user_timeout", 5000)
        connect_args.setdefault("keepalives", 1)
        connect_args.setdefault("keepalives_idle", 30)
        statement_ms = int(config["DATABASE_STATEMENT_TIMEOUT_MS"])
        extra = f"-c statement_timeout={statement_ms}"
        current = connect_args.get("options", "")
        if "statement_timeout" not in current:
            connect_args["options"] = f"{current} {extra}".strip()
        options.setdefault("pool_timeout", float(config["DATABASE_POOL_TIMEOUT_S"]))
        # A connection per thread, kept: SQLAlchemy's default (5 kept, 10 more opened and
        # closed again) made a 16-thread worker open a PostgreSQL connection (a server
        # process) for most requests under load.
        options.setdefault("pool_size", int(config["DATABASE_POOL_SIZE"]))
        options.setdefault("max_overflow", int(config["DATABASE_MAX_OVERFLOW"]))
    elif backend == "sqlite":
        connect_args.setdefault("timeout", float(config["DATABASE_BUSY_TIMEOUT_S"]))
    options["connect_args"] = connect_args
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


# SQLite raises OperationalError for a missing table too: only these are transient.
_SQLITE_TRANSIENT = ("locked", "busy", "unable to open", "disk i/o")


def is_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` says the database is unreachable, hung or overloaded."""
    if isinstance(exc, OperationalError) and isinstance(exc.orig, sqlite3.Error):
        return any(word in str(exc.orig).lower() for word in _SQLITE_TRANSIENT)
    if isinstance(exc, UNAVAILABLE_ERRORS):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def unavailable_response(retry_after_s: int) -> Response:
    """The ``503`` problem+json with ``Retry-After`` for a database that does not answer."""
    response = problem_response(
        503,
        "Service Unavailable",
        "Die Datenbank antwortet gerade nicht; bitte in wenigen Sekunden erneut versuchen. "
        "The database is not answering; please try again in a few seconds.",
        problem_type="about:blank",
    )
    response.headers["Retry-After"] = str(retry_after_s)
    return response


def init_app(app: Flask) -> None:
    """Answer database outages with 503 problem+json (other DB errors stay 500s)."""
    retry_after = int(app.config["DATABASE_RETRY_AFTER_S"])

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeoutError)
    def _database_error(exc: Exception) -> Response:
        # The session's connection may be dead: give it back so the next request
        # checks out a live one (pre-ping) instead of failing on this one.
        try:
            db.session.rollback()
        except DBAPIError:
            db.session.invalidate()
        if not is_unavailable(exc):
            log.exception("Database error", exc_info=exc)
            return http_exception_to_problem(InternalServerError())
        log.warning("Database unavailable: %s", type(exc).__name__)
        return unavailable_response(retry_after)
