"""A cache of search answers that every gunicorn worker shares, kept in Redis.

Correctness first:

- The key is the whole validated query; the caller builds it (see ``api/search.py``).
- Every answer is stored with the data generation it was computed at. The
  generation is a Redis counter that every committed write to the tables an
  answer reads (businesses, their trades, roster shifts, reference data) moves
  on; a stored answer whose generation is not the current one is ignored. The
  writes are noticed at the SQLAlchemy engine, whoever makes them (ORM flushes,
  Core statements of the CSV imports, ``seed-demo``, raw DELETEs): a statement
  marks its connection, a commit keeps the mark, and when the connection goes back
  to the pool (or begins its next transaction) the generation moves on. A rolled
  back write moves nothing. The generation is read before the database, so an
  answer computed from data that changes meanwhile is stored under a generation
  that is already stale.
- Answers live at most ``SEARCH_CACHE_TTL_S`` seconds, whatever happens.
- A request whose own session holds uncommitted writes neither reads nor stores.
- Redis being slow, down or wrong never fails a search: the answer is computed as
  without a cache. The first error is logged once; then Redis is left alone for
  ``RETRY_AFTER_S`` seconds (a circuit breaker), so a dead Redis costs one failed
  attempt per half minute, not one per request. Writes made while Redis could not
  be told may have left stale answers behind, so a process that saw Redis fail
  moves the generation on before it uses the cache again.

Every process that writes must use the same ``REDIS_URL`` as the servers (they
share ``config/default.toml`` and ``instance/config.toml``). Changes made outside
the application (a SQL console, a migration run by another tool) are seen after
at most the TTL.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable

import redis
from flask import Flask, current_app
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection, ExecutionContext

from backend.businesses.models import Business, BusinessTrade
from backend.extensions import db
from backend.reference.models import EmergencyCategory, Trade, emergency_trades
from backend.roster.models import RosterShift

log = logging.getLogger(__name__)

EXTENSION_KEY = "answer_cache"
# Redis answers on the same host in well under a millisecond; waiting longer than
# this for a cache is worse than computing the answer.
TIMEOUT_S = 0.1
# How long Redis is left alone after an error (the circuit breaker).
RETRY_AFTER_S = 30.0
# The generation counter outlives any answer; if it is lost, answers stored under
# the lost counter are never served again (a new counter starts from the clock).
GENERATION_TTL_S = 86400
# Raise when the same query gets differently shaped answer bytes from new code: answers
# of the old shape are then never served (old workers of a rolling deploy aside).
ANSWER_FORMAT = 2
# Tables whose rows an answer shows or depends on.
WATCHED_TABLES = frozenset(
    table.name
    for table in (
        Business.__table__, BusinessTrade.__table__, RosterShift.__table__,
        Trade.__table__, EmergencyCategory.__table__, emergency_trades,
    )
)  # fmt: skip
# What a Redis call may raise (redis-py wraps socket errors, but not every OSError path).
REDIS_ERRORS = (redis.RedisError, OSError)
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE", "DROP", "ALTER")
# Marks in Connection.info (which is the pooled DBAPI connection's info).
_WRITTEN = "answer_cache.written"  # a watched table was written in the open transaction
_COMMITTED = "answer_cache.committed"  # such a write was committed; not yet announced


class AnswerCache:
    """Answers as bytes in Redis, tagged with the data generation they were computed at."""

    def __init__(self, url: str, *, ttl_s: int, namespace: str, answer_scope: str) -> None:
        self.client = redis.Redis.from_url(
            url,
            socket_connect_timeout=TIMEOUT_S,
            socket_timeout=TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),  # the default retries with back-off: seconds
        )
        self.ttl_s = ttl_s
        self.generation_key = f"{namespace}:generation"
        self.answer_prefix = f"{namespace}:answer:{answer_scope}:"
        self._closed_until = 0.0  # the breaker: no Redis calls before this monotonic time
        self._failing = False  # an error was logged and Redis has not answered since
        # Writes (or failures that may have hidden writes) not yet announced by a bump;
        # while any are owed, answers are neither read nor stored.
        self._owed = 0
        self._owed_lock = threading.Lock()

    def get_or_compute(self, key: str, compute: Callable[[], bytes]) -> bytes:
        """The stored answer for ``key`` if current, else ``compute()`` (then stored)."""
        if not self._usable():
            return compute()
        try:
            generation, stored = self.client.mget(self.generation_key, self.answer_prefix + key)
            if generation is None:
                generation = self._start_generation()
        except REDIS_ERRORS as exc:
            self._fail(exc)
            return compute()
        if stored is not None:
            tag, _, body = stored.partition(b" ")
            if tag == generation:
                return body
        body = compute()
        try:
            self.client.set(self.answer_prefix + key, generation + b" " + body, ex=self.ttl_s)
        except REDIS_ERRORS as exc:
            self._fail(exc)
        return body

    def bump_generation(self) -> None:
        """Announce a committed write: every answer stored so far is stale."""
        self._owe()
        if time.monotonic() >= self._closed_until:
            self._bump()

    def _owe(self) -> None:
        with self._owed_lock:
            self._owed += 1

    def _usable(self) -> bool:
        if time.monotonic() < self._closed_until:
            return False
        return not self._owed or self._bump()

    def _bump(self) -> bool:
        """Move the generation on; True when every owed announcement is made."""
        announced = self._owed  # owed before the INCR, so announced by it
        try:
            pipe = self.client.pipeline(transaction=False)
            pipe.set(self.generation_key, time.time_ns(), nx=True)  # start one if lost
            pipe.incr(self.generation_key)
            pipe.expire(self.generation_key, GENERATION_TTL_S)
            pipe.execute()
        except REDIS_ERRORS as exc:
            self._fail(exc)
            return False
        with self._owed_lock:
            self._owed -= announced
        if self._failing:
            self._failing = False
            log.warning("Search answer cache: Redis answers again; cache in use")
        return not self._owed

    def _start_generation(self) -> bytes:
        """A generation counter where none is (first use, or Redis lost it)."""
        pipe = self.client.pipeline(transaction=False)
        pipe.set(self.generation_key, time.time_ns(), nx=True, ex=GENERATION_TTL_S)
        pipe.get(self.generation_key)
        return pipe.execute()[1]

    def _fail(self, exc: Exception) -> None:
        self._closed_until = time.monotonic() + RETRY_AFTER_S
        self._owe()
        if not self._failing:
            self._failing = True
            kwargs = self.client.connection_pool.connection_kwargs
            where = f"{kwargs.get('host', kwargs.get('path'))}:{kwargs.get('port', '')}"
            log.warning(
                "Search answer cache: Redis at %s failed (%s); searching without the cache, "
                "next attempt in %g s",
                where, exc, RETRY_AFTER_S,
            )  # fmt: skip


def init_app(app: Flask) -> None:
    """Create the cache from ``REDIS_URL`` (empty: none) and watch the engine's writes."""
    url = app.config.get("REDIS_URL") or ""
    if not url:
        return
    with app.app_context():
        engine = db.engine
    cache = AnswerCache(
        url,
        ttl_s=int(app.config["SEARCH_CACHE_TTL_S"]),
        namespace=f"{app.config['SEARCH_CACHE_PREFIX']}:{_database_digest(app, engine)}",
        answer_scope=_digest(
            [
                app.config["MAX_SERVICE_RADIUS_KM"],
                app.config["AVAILABILITY_LOOKAHEAD_DAYS"],
                ANSWER_FORMAT,
            ]
        ),
    )
    app.extensions[EXTENSION_KEY] = cache
    _watch_writes(engine, cache)


def cached_answer(key: str, compute: Callable[[], bytes]) -> bytes:
    """The answer for ``key`` from the cache of the current app, or ``compute()``."""
    cache: AnswerCache | None = current_app.extensions.get(EXTENSION_KEY)
    if cache is None or _session_has_writes():
        return compute()
    return cache.get_or_compute(key, compute)


def _session_has_writes() -> bool:
    """Whether this request's session holds writes that are not committed yet."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        return True
    return session.in_transaction() and bool(session.connection().info.get(_WRITTEN))


def _database_digest(app: Flask, engine: Engine) -> str:
    """Identity of the database: URL and connect options (e.g. a PostgreSQL search_path)."""
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    return _digest([engine.url.render_as_string(hide_password=False), options])


def _digest(values: list) -> str:
    text = json.dumps(values, sort_keys=True, default=lambda value: type(value).__qualname__)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _watch_writes(engine: Engine, cache: AnswerCache) -> None:
    """Move the generation on after every committed write to a watched table."""

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(conn: Connection, _cursor, statement, _params, context, _many) -> None:
        if context is not None and _writes_watched_table(context, statement):
            conn.info[_WRITTEN] = True

    @event.listens_for(engine, "commit")
    def _keep_mark(conn: Connection) -> None:
        if conn.info.pop(_WRITTEN, False):
            conn.info[_COMMITTED] = True

    @event.listens_for(engine, "rollback")
    def _drop_mark(conn: Connection) -> None:
        conn.info.pop(_WRITTEN, None)

    @event.listens_for(engine, "begin")
    def _announce_before_next_transaction(conn: Connection) -> None:
        if conn.info.pop(_COMMITTED, False):
            cache.bump_generation()

    @event.listens_for(engine, "checkin")
    def _announce_on_return(_dbapi_connection, record) -> None:
        record.info.pop(_WRITTEN, None)  # not committed: the pool rolls it back
        if record.info.pop(_COMMITTED, False):
            cache.bump_generation()


def _writes_watched_table(context: ExecutionContext, statement: str) -> bool:
    """Whether a statement about to run writes (or may write) a watched table."""
    if context.isinsert or context.isupdate or context.isdelete:
        table = getattr(context.compiled.statement, "table", None)
        return getattr(table, "name", None) in WATCHED_TABLES if table is not None else True
    compiled = context.compiled
    if compiled is not None and getattr(compiled.statement, "is_select", False):
        return False
    # Text and driver-level SQL: judged by its first word and the tables it names.
    if not statement.lstrip().upper().startswith(_WRITE_VERBS):
        return False
    lowered = statement.lower()
    return any(name in lowered for name in WATCHED_TABLES)
