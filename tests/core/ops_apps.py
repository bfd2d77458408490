"""Apps of their own for the operations tests (other databases, other Redis servers)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_migrate import upgrade

from backend import create_app
from backend.extensions import db, limiter
from tests.conftest import TEST_REDIS_URL

SEARCH = "/api/v1/search?postcode=38820&emergency=wasser"


def make_app(database_url: str, *, migrate: bool = True, **overrides: Any) -> Flask:
    """An app on ``database_url`` (migrated unless told not to) with test settings."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "GEOCODER_URL": "",
            "SEARCH_INDEX": "off",
            "REDIS_URL": TEST_REDIS_URL,
            "SQLALCHEMY_DATABASE_URI": database_url,
            **overrides,
        }
    )
    if migrate:
        with app.app_context():
            upgrade()
    return app


def dispose(app: Flask, session_app: Flask) -> None:
    """Close ``app``'s connections and point the one limiter back at the session's app."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    limiter.init_app(session_app)
