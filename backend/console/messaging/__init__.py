"""Console pages of messaging: the outbound SMS and calls, duty set by SMS, and alerts.

Built on the console core: blueprints from ``console_blueprint``, access through
``requires`` and ``require_guild``, the core's base layout (templates/console/messaging/).
"""

from __future__ import annotations

from flask import Flask

from backend.console.blueprint import NavItem, add_nav_item
from backend.console.messaging import duty_pages, messages


def init_app(app: Flask) -> None:
    """Register the pages and their navigation entries."""
    app.register_blueprint(messages.bp)
    app.register_blueprint(duty_pages.bp)
    add_nav_item(app, NavItem("console_messages.index", "Nachrichten", "Messages", order=40))
    add_nav_item(
        app,
        NavItem("console_duty.alerts", "Notdienst-Meldungen", "Duty alerts",
                roles=("admin", "guild_staff"), order=41),
    )  # fmt: skip
