"""When a search may use the in-memory index: at the version it read, or newer.

Before, a search that had read the version just before another request's write
committed (and that request's search patched the index) found the index "not at its
version" and started a whole rebuild in the background: under a steady stream of
edits, a production worker rebuilt its million-business index again and again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.extensions import db
from backend.search.data_version import read_data_version
from tests import factories


@pytest.fixture
def background(app):
    """The index state as a server runs it, with a current index; restored afterwards."""
    state = app.extensions["search_index"]
    saved = state.mode
    state.mode = "background"
    state.rebuild()
    yield state
    state.wait_for_build(30)
    state.mode = saved


def test_a_search_that_read_an_older_version_uses_the_newer_index(app_context, background):
    business = factories.business(name="Vorher")
    since = datetime.now(UTC) - timedelta(days=1)
    with db.engine.connect() as fresh:
        assert background.usable(fresh, since) is not None
    # A request's snapshot taken before the edit commits (PostgreSQL: repeatable read;
    # SQLite: a read transaction in WAL mode) still sees the old version afterwards.
    late = db.engine.connect()
    if db.engine.dialect.name == "postgresql":
        late = late.execution_options(isolation_level="REPEATABLE READ")
        late.begin()
    else:  # pysqlite begins a transaction only before a write: begin it here
        late.exec_driver_sql("BEGIN")
    old = read_data_version(late)
    business.name = "Nachher"
    db.session.commit()
    with db.engine.connect() as fresh:
        index = background.usable(fresh, since)  # this search patches the index
    assert index is not None and index.version > old
    try:
        assert read_data_version(late) == old
        assert background.usable(late, since) is index
    finally:
        late.rollback()
        late.close()
    assert not background._building  # no rebuild was started
