"""``flask roster plan ...``: shifts, templates, fill suggestions, publishing and swaps."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from backend.businesses.lookup import find_business_by_ref
from backend.businesses.models import Business
from backend.cli.businesses import cli_actor, guild_option
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.operations import OrganisationError, get_guild
from backend.reference.catalogue import UnknownSlug
from backend.roster.coverage import CoverageError, partner_cities
from backend.roster.models import RosterShift, RosterSwap
from backend.roster.planning import (
    TEMPLATES,
    PlanningError,
    add_shift,
    move_shift,
    publish_plan,
    remove_shift,
    template_spans,
)
from backend.roster.suggestions import fill_suggestions
from backend.roster.swaps import approve_swap, ask_swap, reject_swap

plan_cli = AppGroup("plan", help="Plan the duty roster: shifts, templates, suggestions, swaps.")
DAY = click.DateTime(["%Y-%m-%d"])


class Instant(click.ParamType):
    """An ISO 8601 date-time; without an offset it is Berlin wall-clock time."""

    name = "YYYY-MM-DDTHH:MM"

    def convert(self, value, param, ctx) -> datetime:
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is not an ISO 8601 date-time", param, ctx)
        return instant if instant.tzinfo else instant.replace(tzinfo=BERLIN)


def _fail(error: Exception) -> click.UsageError:
    return click.UsageError(str(error))


def _business(guild_slug: str, ref: str) -> Business:
    guild = get_guild(guild_slug)
    found = find_business_by_ref(guild.id, ref)
    if found is None:
        raise PlanningError(f"No business '{ref}' in the guild '{guild_slug}'.")
    return found


def _shift(shift_id: int) -> RosterShift:
    found = db.session.get(RosterShift, shift_id)
    if found is None:
        raise PlanningError(f"No shift with id {shift_id}.")
    return found


def _run(action):
    """Run one unit of work; commit it, or roll back and report the reason."""
    try:
        result = action()
    except (PlanningError, OrganisationError, CoverageError, UnknownSlug) as error:
        db.session.rollback()
        raise _fail(error) from None
    db.session.commit()
    return result


@plan_cli.command("add")
@guild_option
@click.option("--ref", required=True)
@click.option("--trade", required=True)
@click.option("--start", required=True, type=Instant())
@click.option("--end", required=True, type=Instant())
def add_command(guild_slug, ref, trade, start, end) -> None:
    """Put a business on duty for a trade from START to END."""
    shift = _run(lambda: add_shift(_business(guild_slug, ref), trade, start, end,
                                   actor=cli_actor()))  # fmt: skip
    click.echo(f"Shift {shift.id} added.")


@plan_cli.command("move")
@click.argument("shift_id", type=int)
@click.option("--start", required=True, type=Instant())
@click.option("--end", required=True, type=Instant())
def move_command(shift_id, start, end) -> None:
    """Give a shift a new span."""
    _run(lambda: move_shift(_shift(shift_id), start, end, actor=cli_actor()))
    click.echo(f"Shift {shift_id} moved.")


@plan_cli.command("remove")
@click.argument("shift_id", type=int)
def remove_command(shift_id) -> None:
    """Take a shift out of the plan."""
    _run(lambda: remove_shift(_shift(shift_id), actor=cli_actor()))
    click.echo(f"Shift {shift_id} removed.")


@plan_cli.command("template")
@click.argument("template", type=click.Choice(TEMPLATES))
@click.option("--from", "first_day", required=True, type=DAY)
@click.option("--to", "last_day", required=True, type=DAY)
@click.option("--land", default="ST", show_default=True, help="Whose public holidays.")
def template_command(template, first_day, last_day, land) -> None:
    """Print the spans of a template (weekends, holidays, nights) to plan shifts for."""
    spans = _run(lambda: template_spans(template, first_day.date(), last_day.date(), land))
    for start, end in spans:
        click.echo(f"{start.isoformat(timespec='minutes')},{end.isoformat(timespec='minutes')}")


@plan_cli.command("suggest")
@click.option("--city", "city_slug", required=True)
@click.option("--emergency", required=True)
@click.option("--start", required=True, type=Instant())
@click.option("--end", required=True, type=Instant())
def suggest_command(city_slug, emergency, start, end) -> None:
    """Propose who takes an uncovered span: longest without duty first."""
    (city,) = _run(lambda: partner_cities(city_slug))
    for s in _run(lambda: fill_suggestions(city, emergency, start, end)):
        last = s.last_duty_end.astimezone(BERLIN).date().isoformat() if s.last_duty_end else "nie"
        click.echo(f"{s.business_id},{s.name},{s.trade},{s.distance_km},{last},"
                   f"{s.duties_this_month}")  # fmt: skip


@plan_cli.command("publish")
@guild_option
@click.option("--from", "first_day", required=True, type=DAY)
@click.option("--to", "last_day", required=True, type=DAY)
def publish_command(guild_slug, first_day, last_day) -> None:
    """Publish the guild's plan for the days; warns about every gap that remains."""
    first, last = first_day.date(), last_day.date()
    publication = _run(lambda: publish_plan(get_guild(guild_slug), first, last, actor=cli_actor()))
    for gap in publication.gaps:
        click.echo(
            f"Warning: gap {gap.city},{gap.emergency},"
            f"{gap.start.isoformat(timespec='minutes')},{gap.end.isoformat(timespec='minutes')}",
            err=True,
        )
    click.echo(f"Published {first} to {last} with {len(publication.gaps)} gaps.")


@plan_cli.command("swap")
@click.argument("shift_id", type=int)
@guild_option
@click.option("--to-ref", required=True, help="The business asked to take the shift.")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
def swap_command(shift_id, guild_slug, to_ref, base_url) -> None:
    """Ask another business to take a shift; prints the link to send it."""
    _, token = _run(
        lambda: ask_swap(_shift(shift_id), _business(guild_slug, to_ref), actor=cli_actor())
    )
    click.echo(f"{base_url.rstrip('/')}/roster/tausch/{token}")


@plan_cli.command("decide")
@click.argument("swap_id", type=int)
@click.argument("decision", type=click.Choice(["approve", "reject"]))
def decide_command(swap_id, decision) -> None:
    """Staff approve or reject an accepted swap."""

    def action():
        swap = db.session.get(RosterSwap, swap_id)
        if swap is None:
            raise PlanningError(f"No swap with id {swap_id}.")
        decide = approve_swap if decision == "approve" else reject_swap
        return decide(swap, actor=cli_actor())

    swap = _run(action)
    click.echo(f"Swap {swap.id}: {swap.status}.")
