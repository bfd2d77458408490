"""Database connections as the schema expects them.

SQLite leaves foreign keys unenforced unless each connection asks for them: without
this, deleting a business would leave its trade links, roster shifts and call events
behind (``ON DELETE CASCADE`` would do nothing) and a link to a missing trade would
be stored without complaint. PostgreSQL always enforces them.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from backend.extensions import db


def init_app(app: Flask) -> None:
    """Enforce foreign keys on every SQLite connection of the app's engine."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite" and not event.contains(
        engine, "connect", enforce_foreign_keys
    ):
        event.listen(engine, "connect", enforce_foreign_keys)


def enforce_foreign_keys(dbapi_connection, _connection_record) -> None:
    """Turn on SQLite's foreign key enforcement for a new connection."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()
