"""The console core blueprint ``console``: sign-in, the person's account, the start page."""

from __future__ import annotations

from backend.console.blueprint import console_blueprint

# The console stylesheet is served from here: /console/static/console.css.
bp = console_blueprint("console", __name__, static_folder="static")
