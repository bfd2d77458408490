"""Console pages of businesses, their verification, imports, exports and audit log.

Built on the console core (``backend.console``): blueprints from ``console_blueprint``,
access through ``requires`` and ``require_guild``, the core's base layout.
"""

from __future__ import annotations

from flask import Flask

from backend.console.blueprint import NavItem, add_nav_item
from backend.console.businesses import audit_pages, import_pages, pages, verification_pages


def init_app(app: Flask) -> None:
    """Register the pages and their navigation entries."""
    for module in (pages, verification_pages, import_pages, audit_pages):
        app.register_blueprint(module.bp)
    add_nav_item(app, NavItem("console_businesses.index", "Betriebe", "Businesses", order=10))
    add_nav_item(
        app,
        NavItem("console_imports.upload", "Import", "Import", roles=("admin", "guild_staff"),
                order=20),
    )  # fmt: skip
