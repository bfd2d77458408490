"""``flask businesses verification sweep|due|digest``: withhold, list and mail what is due."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from backend.businesses.digest import all_digests
from backend.businesses.verification import due_businesses, withhold_overdue
from backend.core.types import utcnow
from backend.extensions import db
from backend.mail.operations import MailError, send_message
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


@verification_cli.command("digest")
@click.option("--dry-run", is_flag=True, help="Print the messages instead of sending them.")
def digest_command(dry_run: bool) -> None:
    """Mail each guild's staff the businesses due for a check (weekly, e.g. Monday 07:00)."""
    config = current_app.config
    base = (config.get("CONSOLE_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    digests = all_digests(
        utcnow(), config["VERIFICATION_DUE_MONTHS"], f"{base}/console/verification/"
    )
    for digest in digests:
        for recipient in digest.recipients:
            if dry_run:
                click.echo(f"To: {recipient}\nSubject: {digest.subject}\n\n{digest.body}")
                continue
            try:
                send_message(recipient, digest.subject, digest.body)
            except MailError as exc:
                raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(digests)} digests {'shown' if dry_run else 'sent'}.", err=True)
