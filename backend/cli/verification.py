"""``flask businesses verification sweep|due``: withhold overdue businesses, list what is due."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from backend.businesses.verification import due_businesses, withhold_overdue
from backend.core.types import utcnow
from backend.extensions import db
from backend.organisations.operations import OrganisationError, get_guild

verification_cli = AppGroup("verification", help="Verification of businesses by guild staff.")


@verification_cli.command("sweep")
def sweep_command() -> None:
    """Withhold overdue businesses of guilds that chose so; list the checked ones again (daily)."""
    withheld, released = withhold_overdue(utcnow(), current_app.config["VERIFICATION_DUE_MONTHS"])
    db.session.commit()
    click.echo(f"Withheld {withheld} overdue businesses; listed {released} again.")


@verification_cli.command("due")
@click.option("--guild", "guild_slug", required=True, help="Slug of the guild association.")
def due_command(guild_slug: str) -> None:
    """List the guild's businesses due for a check, longest unchecked first."""
    try:
        guild = get_guild(guild_slug)
    except OrganisationError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = due_businesses(guild.id, utcnow(), current_app.config["VERIFICATION_DUE_MONTHS"])
    for row in rows:
        checked = row.verified_at.date().isoformat() if row.verified_at else "nie geprüft"
        click.echo(f"{row.ref}\t{row.name}\t{row.city or ''}\t{checked}")
    click.echo(f"{len(rows)} businesses due.", err=True)
