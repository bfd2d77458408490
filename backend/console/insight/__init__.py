"""Console pages of what the calls tell: weekly statistics and hard-to-reach businesses.

Built on the console core: blueprint from ``console_blueprint``, access through
``requires`` and ``require_guild``, the core's base layout. The numbers come from
``backend.roster.stats`` and ``backend.roster.misses`` (anonymous counts only).
"""

from __future__ import annotations

from flask import Flask

from backend.console.blueprint import NavItem, add_nav_item
from backend.console.insight import pages


def init_app(app: Flask) -> None:
    """Register the pages and their navigation entry."""
    app.register_blueprint(pages.bp)
    add_nav_item(app, NavItem("console_insight.stats", "Statistik", "Statistics", order=40))
