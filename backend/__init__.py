"""Handwerker-Schnellruf: find a tradesperson who can help right now."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from backend import api, cli, console, messaging, web, widgets
from backend.console import businesses as console_businesses
from backend.console import insight as console_insight
from backend.console import messaging as console_messaging
from backend.console import roster as console_roster
from backend.console import widgets as console_widgets
from backend.core import (
    database,
    errors,
    faults,
    health,
    limits,
    metrics,
    proxy,
    request_log,
    security,
)
from backend.core.config import PROJECT_ROOT, load_config
from backend.extensions import db, migrate
from backend.roster import views as roster_views
from backend.search import answer_cache
from backend.search import index_state as search_index_state


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the application; ``config`` overrides every other configuration source."""
    app = Flask(__name__, instance_relative_config=True)
    # The default SQLite database and instance/config.toml live here.
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, config)
    faults.configure_engine(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    database.init_app(app)
    answer_cache.init_app(app)
    search_index_state.init_app(app)
    request_log.init_app(app)
    errors.init_app(app)
    faults.init_app(app)
    health.init_app(app)
    metrics.init_app(app)
    security.init_app(app)
    proxy.init_app(app)
    limits.init_app(app)
    api.init_app(app)
    web.init_app(app)
    widgets.init_app(app)
    roster_views.init_app(app)
    console.init_app(app)
    console_businesses.init_app(app)
    console_insight.init_app(app)
    console_widgets.init_app(app)
    console_roster.init_app(app)
    console_messaging.init_app(app)
    messaging.init_app(app)
    cli.init_app(app)
    return app
