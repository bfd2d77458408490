"""``flask roster import|export`` (CSV) and ``flask roster gaps`` (coverage of the plan)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
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
from backend.roster.coverage import (
    CoverageError,
    city_coverage,
    find_gaps,
    partner_cities,
    period_bounds,
)
from backend.roster.scores import balance_scores

roster_cli = AppGroup(
    "roster", help="The emergency-duty roster: CSV import and export, gaps in coverage."
)


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


GAP_COLUMNS = ("city", "emergency", "start", "end")


@roster_cli.command("gaps")
@click.option("--city", "city_slug", default=None, help="Only this partner city (slug).")
@click.option(
    "--from", "first_day", required=True, type=click.DateTime(["%Y-%m-%d"]),
    help="First day (YYYY-MM-DD), from 00:00 Europe/Berlin.",
)  # fmt: skip
@click.option(
    "--to", "last_day", required=True, type=click.DateTime(["%Y-%m-%d"]),
    help="Last day (YYYY-MM-DD), up to 24:00 Europe/Berlin.",
)  # fmt: skip
@click.option(
    "--format", "output_format", type=click.Choice(["text", "csv"]), default="text",
    show_default=True, help="text: one gap per line; csv: the same with a header row.",
)  # fmt: skip
def gaps_command(
    city_slug: str | None, first_day: datetime, last_day: datetime, output_format: str
) -> None:
    """Print every span in which a partner city has no help for an emergency category.

    One gap per line as city,emergency,start,end (ISO 8601 with offset, minute precision,
    start inclusive, end exclusive), sorted by city, emergency and start.
    """
    try:
        gaps = find_gaps(_day(first_day), _day(last_day), city_slug)
    except CoverageError as error:
        raise click.UsageError(str(error)) from None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if output_format == "csv":
        writer.writerow(GAP_COLUMNS)
    for gap in gaps:
        writer.writerow((gap.city, gap.emergency, _minute(gap.start), _minute(gap.end)))
    click.echo(buffer.getvalue(), nl=False)
    click.echo(f"{len(gaps)} gaps.", err=True)


@roster_cli.command("scores")
@click.option("--city", "city_slug", default=None, help="Only this partner city (slug).")
@click.option("--from", "first_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "last_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
def scores_command(city_slug: str | None, first_day: datetime, last_day: datetime) -> None:
    """Print the coverage per city and category and the balance of duty per trade."""
    try:
        start, end = period_bounds(_day(first_day), _day(last_day))
        cities = partner_cities(city_slug)
    except CoverageError as error:
        raise click.UsageError(str(error)) from None
    click.echo("city,emergency,coverage_percent,gaps")
    for city in cities:
        coverage = city_coverage(city, start, end)
        for emergency, gaps in coverage.gaps.items():
            if emergency != "gasgeruch":
                score = 100 * coverage.score(emergency)
                click.echo(f"{city.slug},{emergency},{score:.1f},{len(gaps)}")
    click.echo("\ntrade,businesses,total_hours,min_hours,max_hours,min_max,cv,gini")
    for b in balance_scores(start, end):
        click.echo(
            f"{b.trade},{b.businesses},{b.total_hours},{b.min_hours},{b.max_hours},"
            f"{b.min_max_ratio},{b.coefficient_of_variation},{b.gini}"
        )


def _day(value: datetime) -> date:
    return value.date()


def _minute(instant: datetime) -> str:
    """ISO 8601 in Berlin time with its offset, to the minute (2026-12-24T18:00+01:00)."""
    return instant.astimezone(BERLIN).isoformat(timespec="minutes")
