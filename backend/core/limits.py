"""Rate limits (Flask-Limiter): one storage for every worker, the same Redis as the cache."""

from __future__ import annotations

from flask import Flask

from backend.extensions import limiter


def init_app(app: Flask) -> None:
    """Point the limiter at ``RATELIMIT_STORAGE_URI``, else ``REDIS_URL``, else memory."""
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "schnellruf:limits")
    limiter.init_app(app)
