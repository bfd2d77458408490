"""``flask roster import FILE --guild SLUG`` and ``flask roster export --guild SLUG``."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

import click
from flask.cli import AppGroup

from backend.cli.businesses import (
    cli_actor,
    dry_run_option,
    guild_option,
    keep_valid_option,
    output_option,
    run_export,
    run_import,
)
from backend.imports.rosters import BERLIN, export_roster_csv, import_roster_csv

roster_cli = AppGroup("roster", help="Import and export the emergency-duty roster as CSV.")


class InstantType(click.ParamType):
    """An ISO 8601 date or date-time; without an offset it is read as Berlin local time."""

    name = "ISO-8601"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is not an ISO 8601 date or date-time", param, ctx)
        return instant if instant.tzinfo else instant.replace(tzinfo=BERLIN)


@roster_cli.command("import")
@click.argument("file", type=click.File("rb"))
@guild_option
@dry_run_option
@keep_valid_option
def import_command(file: BinaryIO, guild_slug: str, dry_run: bool, keep_valid: bool) -> None:
    """Add or update shifts from a CSV FILE with the columns ref,trade,start,end.

    Times are ISO 8601 with an offset, e.g. 2026-12-24T18:00:00+01:00. A shift with the
    same business, trade and start as a stored one updates it.
    """
    run_import(
        lambda: import_roster_csv(
            file,
            guild_slug,
            dry_run=dry_run,
            keep_valid=keep_valid,
            actor=cli_actor(),
            source=file.name,
        )
    )


@roster_cli.command("export")
@guild_option
@click.option(
    "--from",
    "since",
    type=InstantType(),
    default=None,
    help="Only shifts that end after this instant (Berlin time unless an offset is given).",
)
@output_option
def export_command(guild_slug: str, since: datetime | None, output: str | None) -> None:
    """Write the guild's shifts as CSV, times in Europe/Berlin with their offset."""
    run_export(output, lambda stream: export_roster_csv(guild_slug, stream, since=since), "shifts")
