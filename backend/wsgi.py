"""The application as servers run it: ``gunicorn 'backend.wsgi:create_serving_app()'``.

A server process builds its search index before it accepts its first request, so no
resident's search waits for a build or takes the slower database path meanwhile (a
``flask`` command never needs the index and does not build one).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from backend import create_app
from backend.search.index_state import build_before_serving


def create_serving_app(config: dict[str, Any] | None = None) -> Flask:
    """:func:`backend.create_app`, then the search index built (see the module docstring)."""
    app = create_app(config)
    build_before_serving(app)
    return app
