"""Database connections as the schema and the servers expect them, and who commits.

One unit of work per request or command: operations (``backend/*/operations.py``, the
imports, anything that changes data) add and flush, and never commit; the view that
handles the request, the CLI command or the queue job that called them commits once
at the end, or lets the session roll back (Flask-SQLAlchemy removes the session at
the end of the app context, rolling back whatever was not committed). So an
operation runs the same from a view, a command, a job or a test, and two operations
called by one request succeed or fail together.

SQLite needs two settings that PostgreSQL has by default:

- Foreign keys are enforced only when each connection asks. Without them, deleting a
  business would leave its trade links, roster shifts and call events behind (``ON
  DELETE CASCADE`` would do nothing) and a link to a missing trade would be stored.
- With the default rollback journal, a reader blocks a writer's commit and a waiting
  writer blocks new readers: a search index build reading a large table for seconds
  would make a resident's call event or a staff edit wait, then fail with "database is
  locked". In WAL mode readers never block the writer, nor the writer readers. The mode
  is stored in the database file; setting it on every connection costs one statement.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from backend.extensions import db


def init_app(app: Flask) -> None:
    """Configure every new SQLite connection of the app's engine (PostgreSQL needs nothing)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", configure_sqlite_connection)


def configure_sqlite_connection(dbapi_connection, _connection_record) -> None:
    """Enforce foreign keys and, for a database file, use write-ahead logging."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        # An in-memory database answers "memory" and keeps its journal; nothing to do there.
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()
