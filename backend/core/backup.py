"""Backups of the whole database, and their restore (``flask backup create|restore``).

- SQLite: the online backup API (a consistent copy while the app keeps writing; in WAL
  mode copying the file alone can miss committed pages). Restore writes the copy back
  into the live file with the same API.
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists``.

After a restore the search data version is moved past the clock, as a new table's
is: versions the running processes and the Redis answer cache have seen are never
repeated with other data, so no cached answer from before the restore is served.
Stop the web servers and workers for a restore (docs/deploy.md).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from backend.extensions import db

PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")


class BackupError(RuntimeError):
    """A backup or restore that could not be made (the message says why)."""


def _url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return url.database


def _pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version if installed, else PATH's."""
    for directory in PG_BIN_DIRS:
        candidate = Path(directory) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def _libpq_url(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or f"{command[0]} failed")


def _sqlite_copy(source_path: str, target_path: str) -> None:
    """Copy a SQLite database page by page with the online backup API."""
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def create_backup(path: Path) -> None:
    """Write a consistent backup of the app's database to ``path``."""
    url = _url()
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), str(path))
    elif url.get_backend_name() == "postgresql":
        _run([_pg_tool("pg_dump"), "--format=custom", f"--file={path}", _libpq_url(url)])
    else:
        raise BackupError(f"no backup for {url.get_backend_name()} databases")


def restore_backup(path: Path) -> None:
    """Replace the app's database by the backup at ``path``; then move the data version on."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    url = _url()
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old data open
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(str(path), _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        _run([
            _pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
            "--single-transaction", f"--dbname={_libpq_url(url)}", str(path),
        ])  # fmt: skip
    else:
        raise BackupError(f"no restore for {url.get_backend_name()} databases")
    _move_data_version_past_the_clock()


def _move_data_version_past_the_clock() -> None:
    # The change log below the new version is of no use: a process behind rebuilds.
    now_us = int(time.time() * 1_000_000)
    db.session.execute(
        text(
            "UPDATE search_data_version SET version = CASE WHEN version > :now "
            "THEN version + 1 ELSE :now END, changes_from = CASE WHEN version > :now "
            "THEN version + 1 ELSE :now END"
        ),
        {"now": now_us},
    )
    db.session.commit()
