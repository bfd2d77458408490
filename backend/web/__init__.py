"""The resident app (a progressive web app from pwa/) and its legal pages."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from backend.core.config import PROJECT_ROOT
from backend.web import legal, views
from backend.web.assets import AssetStore

__all__ = ["init_app", "legal", "views"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "web"


def _build_inputs(app: Flask) -> bytes:
    """What besides pwa/ changes the cached shell: legal templates and their settings."""
    settings = {
        "operator": app.config.get("OPERATOR", {}),
        "accessibility": app.config.get("ACCESSIBILITY", {}),
        "retention_days": app.config.get("CALL_EVENT_RETENTION_DAYS"),
    }
    parts = [json.dumps(settings, sort_keys=True, default=str).encode()]
    parts += [p.read_bytes() for p in sorted(TEMPLATES.glob("*.html"))]
    return b"\0".join(parts)


def init_app(app: Flask) -> None:
    """Load the app shell (``PWA_DIR``, default pwa/) and register the routes."""
    root = Path(app.config.get("PWA_DIR") or PROJECT_ROOT / "pwa")
    app.extensions["web_assets"] = AssetStore(root, _build_inputs(app), auto_reload=app.debug)
    app.register_blueprint(views.bp)
