"""A cache of search answers that every gunicorn worker shares, kept in Redis.

Correctness first, with the one freshness rule of the search: every answer is stored
with the database's search data version it was computed at, and served only while
the database is still at that version. Database triggers move the version on in the
same transaction as every write to the searched data, whoever writes (the app, an
import, a SQL console; see :mod:`backend.search.data_version`), so no answer is ever
served from before a committed write. Reference data is published by migrations and
never changes at run time: it is not watched.

- The key is the whole validated query; the caller builds it (see ``api/search.py``).
- The version is read before the answer is computed, so an answer computed from data
  that changes meanwhile is stored under a version that is already stale.
- A request whose session holds uncommitted writes (its version may never commit)
  neither reads nor stores.
- Answers live at most ``SEARCH_CACHE_TTL_S`` seconds, whatever happens.
- Redis being slow, down or wrong never fails a search: the answer is computed as
  without a cache. The first error is logged once; then Redis is left alone for
  ``RETRY_AFTER_S`` seconds (a circuit breaker), so a dead Redis costs one failed
  attempt per half minute, not one per request. Nothing needs announcing when it is
  back: the versions live in the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable

import redis
from flask import Flask, current_app
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import Engine

from backend.extensions import db
from backend.search.data_version import read_data_version

log = logging.getLogger(__name__)

EXTENSION_KEY = "answer_cache"
# Redis answers on the same host in well under a millisecond; waiting longer than
# this for a cache is worse than computing the answer.
TIMEOUT_S = 0.1
# How long Redis is left alone after an error (the circuit breaker).
RETRY_AFTER_S = 30.0
# Raise when the same query gets differently shaped answer bytes from new code: answers
# of the old shape are then never served (old workers of a rolling deploy aside).
ANSWER_FORMAT = 2
# What a Redis call may raise (redis-py wraps socket errors, but not every OSError path).
REDIS_ERRORS = (redis.RedisError, OSError)


class AnswerCache:
    """Answers as bytes in Redis, tagged with the data version they were computed at."""

    def __init__(self, url: str, *, ttl_s: int, namespace: str, answer_scope: str) -> None:
        self.client = redis.Redis.from_url(
            url,
            socket_connect_timeout=TIMEOUT_S,
            socket_timeout=TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),  # the default retries with back-off: seconds
        )
        self.ttl_s = ttl_s
        self.answer_prefix = f"{namespace}:answer:{answer_scope}:"
        self._closed_until = 0.0  # the breaker: no Redis calls before this monotonic time
        self._failing = False  # an error was logged and Redis has not answered since

    def get_or_compute(self, key: str, version: int, compute: Callable[[], bytes]) -> bytes:
        """The answer stored for ``key`` at data ``version``, else ``compute()`` (then stored)."""
        if time.monotonic() < self._closed_until:
            return compute()
        tag = b"%d" % version
        try:
            stored = self.client.get(self.answer_prefix + key)
        except REDIS_ERRORS as exc:
            self._fail(exc)
            return compute()
        self._answering()
        if stored is not None:
            stored_tag, _, body = stored.partition(b" ")
            if stored_tag == tag:
                return body
        body = compute()
        if isinstance(body, NotToBeStored):
            return bytes(body)
        try:
            self.client.set(self.answer_prefix + key, tag + b" " + body, ex=self.ttl_s)
        except REDIS_ERRORS as exc:
            self._fail(exc)
        return body

    def _answering(self) -> None:
        if self._failing:
            self._failing = False
            log.warning("Search answer cache: Redis answers again; cache in use")

    def _fail(self, exc: Exception) -> None:
        self._closed_until = time.monotonic() + RETRY_AFTER_S
        if not self._failing:
            self._failing = True
            kwargs = self.client.connection_pool.connection_kwargs
            where = f"{kwargs.get('host', kwargs.get('path'))}:{kwargs.get('port', '')}"
            log.warning(
                "Search answer cache: Redis at %s failed (%s); searching without the cache, "
                "next attempt in %g s",
                where, exc, RETRY_AFTER_S,
            )  # fmt: skip


class NotToBeStored(bytes):
    """An answer that must not be stored: it depends on data the version does not follow."""


def init_app(app: Flask) -> None:
    """Create the cache from ``REDIS_URL`` (empty: none)."""
    url = app.config.get("REDIS_URL") or ""
    if not url:
        return
    with app.app_context():
        engine = db.engine
    app.extensions[EXTENSION_KEY] = AnswerCache(
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


def cached_answer(key: str, compute: Callable[[], bytes]) -> bytes:
    """The answer for ``key`` from the cache of the current app, or ``compute()``."""
    cache: AnswerCache | None = current_app.extensions.get(EXTENSION_KEY)
    version = None if cache is None else _committed_version()
    if version is None:
        return compute()
    return cache.get_or_compute(key, version, compute)


def _committed_version() -> int | None:
    """The committed data version, or None when this request must not use the cache.

    A session in a transaction that wrote to the searched data sees a version of its
    own (its triggers moved it on): its answers are for it alone.
    """
    with db.engine.connect() as connection:
        committed = read_data_version(connection)
    if committed is not None and db.session.registry.has() and db.session().in_transaction():
        session = db.session()
        if session.new or session.dirty or session.deleted:
            return None
        if read_data_version(session.connection()) != committed:
            return None
    return committed


def _database_digest(app: Flask, engine: Engine) -> str:
    """Identity of the database: URL and connect options (e.g. a PostgreSQL search_path)."""
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    return _digest([engine.url.render_as_string(hide_password=False), options])


def _digest(values: list) -> str:
    text = json.dumps(values, sort_keys=True, default=lambda value: type(value).__qualname__)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
