"""``flask roster import|export`` (CSV) and ``flask roster gaps`` (coverage of the plan)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import BinaryIO

import click
from flask.cli import AppGroup

from backend.businesses.lookup import find_business_by_ref
from backend.cli.businesses import (
    cli_actor,
    dry_run_option,
    guild_option,
    keep_valid_option,
    output_option,
    run_export,
    run_import,
)
from backend.cli.roster_plan import plan_cli
from backend.extensions import db
from backend.imports.rosters import BERLIN, export_roster_csv, import_roster_csv
from backend.organisations.operations import OrganisationError, get_guild
from backend.roster.calendars import issue_calendar_token
from backend.roster.coverage import (
    CoverageError,
    city_coverage,
    find_gaps,
    partner_cities,
    period_bounds,
)
from backend.roster.gazette import weekend_text
from backend.roster.misses import unanswered_rows
from backend.roster.scores import balance_scores
from backend.roster.stats import stats_csv, stats_svg, unreachable_businesses, weekly_call_stats

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


roster_cli.add_command(plan_cli)
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


@roster_cli.command("weekend")
@click.option("--city", "city_slug", required=True, help="The partner city (slug).")
@click.option(
    "--from", "today", type=click.DateTime(["%Y-%m-%d"]), default=None,
    help="The weekend on or after this day (default: today, Berlin).",
)  # fmt: skip
def weekend_command(city_slug: str, today: datetime | None) -> None:
    """Print the coming weekend's duty of a city as plain text for the paper and gazette."""
    try:
        (city,) = partner_cities(city_slug)
    except CoverageError as error:
        raise click.UsageError(str(error)) from None
    day = _day(today) if today else datetime.now(BERLIN).date()
    click.echo(weekend_text(city, day), nl=False)


@roster_cli.command("calendar-link")
@guild_option
@click.option("--ref", required=True, help="The business's reference in the guild.")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
def calendar_link_command(guild_slug: str, ref: str, base_url: str) -> None:
    """Make a new secret ICS link for a business's shifts (an older link stops working)."""
    try:
        guild = get_guild(guild_slug)
    except OrganisationError as error:
        raise click.UsageError(str(error)) from None
    business = find_business_by_ref(guild.id, ref)
    if business is None:
        raise click.UsageError(f"No business '{ref}' in the guild '{guild_slug}'.")
    token = issue_calendar_token(business, actor=cli_actor())
    db.session.commit()
    click.echo(f"{base_url.rstrip('/')}/calendar/betrieb/{token}.ics")


@roster_cli.command("stats")
@click.option("--from", "first_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "last_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--format", "output_format", type=click.Choice(["csv", "svg"]), default="csv")
@click.option(
    "--what",
    type=click.Choice(["calls", "searches"]),
    default="calls",
    help="calls and 'reached?' answers, or searches that found nobody available.",
)
def stats_command(first_day: datetime, last_day: datetime, output_format: str, what: str) -> None:
    """Calls and "reached?" answers per week, city, trade and channel (anonymous)."""
    try:
        start, end = period_bounds(_day(first_day), _day(last_day))
    except CoverageError as error:
        raise click.UsageError(str(error)) from None
    if what == "searches":
        click.echo("week,city,subject,channel,unanswered_searches")
        for row in unanswered_rows(start, end):
            click.echo(",".join(str(value) for value in row))
        return
    rows = weekly_call_stats(start, end)
    click.echo(stats_csv(rows) if output_format == "csv" else stats_svg(rows), nl=False)


@roster_cli.command("reachability")
def reachability_command() -> None:
    """Businesses whose recent calls were answered "not reached" too often."""
    for flagged in unreachable_businesses():
        click.echo(
            f"{flagged.business_id},{flagged.name},{flagged.phone},"
            f"{flagged.not_reached}/{flagged.answers} not reached"
        )


def _day(value: datetime) -> date:
    return value.date()


def _minute(instant: datetime) -> str:
    """ISO 8601 in Berlin time with its offset, to the minute (2026-12-24T18:00+01:00)."""
    return instant.astimezone(BERLIN).isoformat(timespec="minutes")
