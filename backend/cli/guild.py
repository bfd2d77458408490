"""``flask guild create SLUG NAME``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from backend.organisations.operations import OrganisationError, create_guild

guild_cli = AppGroup("guild", help="Manage guild associations (Kreishandwerkerschaften).")


@guild_cli.command("create")
@click.argument("slug")
@click.argument("name")
def create_guild_command(slug: str, name: str) -> None:
    """Create a guild association with a URL-safe SLUG and a display NAME."""
    try:
        guild = create_guild(slug, name, actor="cli")
    except OrganisationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created guild association '{guild.slug}' ({guild.name}).")
