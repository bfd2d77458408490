"""``flask guild create SLUG NAME``, ``flask guild numbers SLUG``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from backend.extensions import db
from backend.organisations.operations import OrganisationError, create_guild, get_guild

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


@guild_cli.command("numbers")
@click.argument("slug")
@click.option("--premium/--no-premium", default=None, help="Allow 0900, 0137, 0180, 0700 numbers.")
@click.option("--foreign/--no-foreign", default=None, help="Allow numbers outside Germany.")
def numbers_command(slug: str, premium: bool | None, foreign: bool | None) -> None:
    """Show or set which special numbers the businesses of guild SLUG may give."""
    try:
        guild = get_guild(slug)
    except OrganisationError as exc:
        raise click.ClickException(str(exc)) from exc
    if premium is not None:
        guild.allows_premium_numbers = premium
    if foreign is not None:
        guild.allows_foreign_numbers = foreign
    db.session.commit()
    premium_state = "allowed" if guild.allows_premium_numbers else "refused"
    foreign_state = "allowed" if guild.allows_foreign_numbers else "refused"
    click.echo(
        f"{guild.slug}: premium-rate numbers {premium_state}, foreign numbers {foreign_state}."
    )
