"""Console pages of the duty plan (Notdienstplan): week and month views, shifts, templates,
gaps with fill suggestions, publishing and swaps awaiting approval.

Thin views over :mod:`backend.roster` (planning, coverage, suggestions, scores, swaps):
they read a form, call one operation and commit once.
"""

from __future__ import annotations

from flask import Flask

from backend.console.blueprint import NavItem, add_nav_item

# Modules with routes of the blueprint.
from backend.console.roster import (  # noqa: F401
    fill_pages,
    plan_pages,
    publish_pages,
    shift_pages,
    swap_pages,
)
from backend.console.roster.core import bp


def init_app(app: Flask) -> None:
    """Register the pages and their navigation entry."""
    app.register_blueprint(bp)
    add_nav_item(app, NavItem("console_roster.plan", "Notdienstplan", "Duty plan", order=15))
