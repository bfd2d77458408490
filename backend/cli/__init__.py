"""Flask CLI: ``flask --app backend guild|businesses|roster|staff|seed-demo ...``."""

from __future__ import annotations

from flask import Flask

from backend.cli.backup import backup_cli
from backend.cli.businesses import businesses_cli
from backend.cli.calls import calls_cli
from backend.cli.city import city_cli
from backend.cli.demo import seed_demo_command
from backend.cli.guild import guild_cli
from backend.cli.portal import demo_portal_command
from backend.cli.roster import roster_cli
from backend.cli.staff import staff_cli
from backend.cli.verification import verification_cli


def init_app(app: Flask) -> None:
    """Register the command groups."""
    businesses_cli.add_command(verification_cli)
    for group in (
        guild_cli,
        city_cli,
        businesses_cli,
        roster_cli,
        calls_cli,
        backup_cli,
        staff_cli,
        seed_demo_command,
        demo_portal_command,
    ):
        app.cli.add_command(group)
