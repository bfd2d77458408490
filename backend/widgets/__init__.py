"""City portal widgets: ``/widget/<city>``, framed only by the city's registered origins.

Server-rendered from the one search operation, complete without scripts; a few hundred
bytes of script of our own size the frame (``/widget/embed.js``) and report calls.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from backend.web.assets import AssetStore
from backend.widgets import callback, oembed, views

__all__ = ["callback", "init_app", "oembed", "views"]

STATIC = Path(__file__).resolve().parent / "static"


def init_app(app: Flask) -> None:
    """Load the widget's scripts and stylesheet and register the routes."""
    app.extensions["widget_assets"] = AssetStore(STATIC, auto_reload=app.debug)
    app.register_blueprint(views.bp)
    app.register_blueprint(callback.bp)
