"""Fixtures of the operations tests: a PostgreSQL server of their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scripts.scratch_services import ScratchPostgres, pg_bin_dir


@pytest.fixture(scope="session")
def scratch_pg() -> Iterator[ScratchPostgres]:
    """A PostgreSQL server the tests start (and may stop): never the shared one."""
    if pg_bin_dir() is None:
        pytest.fail("no PostgreSQL server binaries (apt-get install postgresql, or PG_BIN_DIR)")
    server = ScratchPostgres().initialise()
    yield server
    server.destroy()
