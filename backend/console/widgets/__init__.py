"""Console pages of the city portal widgets: the embed kit and a city's widget settings.

City editors copy the snippet for their own city's portal (admins for any city) and keep
the portal origins and colours of their own city; every staff role may read the settings.
Built on the console core: ``console_blueprint``, ``requires`` and ``require_city``.
"""

from __future__ import annotations

from flask import Flask

from backend.console.blueprint import NavItem, add_nav_item
from backend.console.widgets import kit, settings  # noqa: F401 (routes)
from backend.console.widgets.core import KIT_ROLES, bp


def init_app(app: Flask) -> None:
    """Register the pages and their navigation entry."""
    app.register_blueprint(bp)
    add_nav_item(app, NavItem("console_widgets.index", "Widget", "Widget", KIT_ROLES, order=30))
