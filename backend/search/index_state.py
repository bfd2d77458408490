"""Building the in-memory search index and deciding, per search, whether it may be used.

Each process holds at most one index. A search reads the database's search data
version and gets the index only when it is at that version or newer (another search
patched it to a write that committed after this one read the version: the answer is
then newer, never older). An index behind the
database is patched at once, in the search that noticed (the change log names the
few businesses that changed: see :mod:`.index_patch`). Only when a patch cannot be
made (the first search, a truncated table, a huge import) is a whole new index built:

- ``background`` (servers): in a thread of the process, so no request waits for it
  (a million businesses take seconds; a guild's few thousand, milliseconds), while
  searches read the database;
- ``inline`` (tests): at once, by the search that found the index stale;
- ``off``: never; every search reads the database.

The index is built on a connection of its own, so it only ever holds committed data.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import Connection

from backend.extensions import db
from backend.search.data_version import read_data_version
from backend.search.index import SearchIndex
from backend.search.index_build import build_search_index
from backend.search.index_patch import PatchImpossible, patch_index

log = logging.getLogger(__name__)

EXTENSION_KEY = "search_index"
MODES = ("background", "inline", "off")
# Shifts that ended up to this long before the build are kept, so searches for instants
# up to a month before the build (shift history included) are answered from the index.
SHIFTS_KEPT = timedelta(days=45)
# After a failed build, searches read the database for this long before the next try.
RETRY_AFTER_S = 60.0


class SearchIndexState:
    """The index of one process, and the rule that decides when it is used."""

    def __init__(self, app: Flask, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"SEARCH_INDEX must be one of {', '.join(MODES)}, not {mode!r}")
        self.app = app
        self.mode = mode
        self.index: SearchIndex | None = None
        self._lock = threading.Lock()
        self._patch_lock = threading.Lock()
        self._building = False
        self._thread: threading.Thread | None = None
        self._retry_at = 0.0

    def usable(self, connection: Connection, since: datetime) -> SearchIndex | None:
        """The index if it is current and holds the shifts ending after ``since``, else None."""
        if self.mode == "off":
            return None
        version = read_data_version(connection)
        if version is None:
            return None
        index = self.index
        if index is not None and index.version < version:
            index = self._patched(index)
        # Newer than the version read is fine: writers take the version row's lock, so a
        # request whose own writes are not committed yet reads a version above every
        # index. Rebuilding instead (as before) made concurrent searches under edits
        # rebuild a million-business index in the background again and again.
        if index is not None and index.version >= version:
            return index if index.covers(since) else None
        if self.mode == "inline":
            index = self.rebuild()
            return index if index.version >= version and index.covers(since) else None
        self._rebuild_in_background()
        return None

    def _patched(self, index: SearchIndex) -> SearchIndex | None:
        """``index`` brought to the committed version, or None if only a build can."""
        with self._patch_lock:  # one patch at a time; the others wait for its result
            try:
                patch_index(index, db.engine)
            except PatchImpossible as reason:
                log.info("Search index not patched (%s): building a new one", reason)
                return None
            except Exception:  # the database path still answers
                log.exception("Search index patch failed; searching the database meanwhile")
                return None
        return index

    def status(self) -> str:
        """``ready`` (an index exists), ``building``, ``none`` or ``off``; starts a first build.

        The health check asks, so a new server process builds its index before the
        first resident searches (``inline`` builds when a search needs it).
        """
        if self.mode == "off":
            return "off"
        if self.index is not None:
            return "ready"
        if self.mode == "background":
            self._rebuild_in_background()
        return "building" if self._building else "none"

    def rebuild(self) -> SearchIndex:
        """Build an index from the committed data now, and use it if it is the newest."""
        started = time.perf_counter()
        with self.app.app_context(), db.engine.connect() as connection:
            index = build_search_index(
                connection,
                shifts_since=datetime.now(UTC) - SHIFTS_KEPT,
                listing_cache=self.app.config["SEARCH_LISTING_CACHE"],
            )
        with self._lock:
            if self.index is None or index.version >= self.index.version:
                self.index = index
        log.info(
            "Search index built at data version %s: %d links in %.2f s",
            index.version, index.links, time.perf_counter() - started,
        )  # fmt: skip
        return index

    def _rebuild_in_background(self) -> None:
        with self._lock:
            if self._building or time.monotonic() < self._retry_at:
                return
            self._building = True
            self._thread = threading.Thread(target=self._rebuild_logging_errors, daemon=True)
            self._thread.start()

    def wait_for_build(self, timeout_s: float) -> bool:
        """Wait for a background build to end; True if none is running (any more)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
        return not self._building

    def _rebuild_logging_errors(self) -> None:
        try:
            self.rebuild()
        except Exception:  # a thread's error would otherwise be lost
            log.exception("Search index build failed; searching the database meanwhile")
            self._retry_at = time.monotonic() + RETRY_AFTER_S
        finally:
            self._building = False


def init_app(app: Flask) -> None:
    """Give the app its (empty) index state, in the mode of ``SEARCH_INDEX``."""
    app.extensions[EXTENSION_KEY] = SearchIndexState(app, app.config["SEARCH_INDEX"])


def build_before_serving(app: Flask) -> None:
    """Build ``app``'s first index now, before it serves (servers: ``background`` mode).

    Without this, a new process's first searches read the database while the index is
    built in a thread beside them. Safe before a fork: no connection is left open. A
    failed build is logged; the process still serves, from the database, and a later
    search tries again.
    """
    state: SearchIndexState | None = app.extensions.get(EXTENSION_KEY)
    if state is not None and state.mode == "background" and state.index is None:
        state._rebuild_logging_errors()
        # The pool's connections must not outlive a fork (gunicorn's preload_app): each
        # worker opens its own.
        with app.app_context():
            db.engine.dispose()


def index_status() -> str:
    """The current app's index: ``ready``, ``building``, ``none`` or ``off`` (see above)."""
    state: SearchIndexState | None = current_app.extensions.get(EXTENSION_KEY)
    return "off" if state is None else state.status()


def usable_index(since: datetime) -> SearchIndex | None:
    """The current app's index, if a search now may use it (see above).

    A session in a transaction reads the version on its own connection: if it wrote,
    its triggers moved the version on there, so it searches the database and sees its
    own writes. Otherwise a pooled connection is enough, and cheaper than a session.
    """
    state: SearchIndexState | None = current_app.extensions.get(EXTENSION_KEY)
    if state is None or state.mode == "off":
        return None
    # A request that has not used its session yet has none: do not create one for this.
    if db.session.registry.has() and db.session().in_transaction():
        return state.usable(db.session.connection(), since)
    with db.engine.connect() as connection:
        return state.usable(connection, since)
