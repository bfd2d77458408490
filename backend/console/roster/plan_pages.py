"""The plan page: a week or a month of a guild's shifts per trade, the gaps per city and
category beside it, the coverage and balance scores, links to change the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import render_template, request

from backend.console.access import may_edit_guild, requires, staff
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.console.roster.core import bp
from backend.console.roster.period import VIEWS, Period, day_label, when
from backend.console.roster.plan_data import (
    coverage_rows,
    publications,
    trade_lanes,
    waiting_swaps,
)
from backend.console.roster.shift_pages import seen_mark
from backend.hours import BERLIN
from backend.organisations.models import GuildAssociation, PartnerCity
from backend.reference.catalogue import trades_by_slug
from backend.roster.coverage import partner_cities
from backend.roster.scores import balance_scores


def today() -> date:
    """Today in Berlin."""
    return datetime.now(UTC).astimezone(BERLIN).date()


def read_day(text: str | None, default: date) -> date:
    """A ``YYYY-MM-DD`` argument, or ``default`` when missing or unreadable."""
    try:
        day = date.fromisoformat(text) if text else default
    except ValueError:
        return default
    # Far-off years have no neighbouring periods to link to (date's range ends at 1 and 9999).
    return day if 1900 <= day.year <= 2200 else default


def read_period() -> Period:
    """The week or month of ``?view=week|month&from=YYYY-MM-DD`` (default: this week)."""
    view = request.args.get("view", "week")
    return Period.around(view if view in VIEWS else "week", read_day(request.args.get("from"),
                                                                     today()))  # fmt: skip


def chosen_city(cities: list[PartnerCity]) -> PartnerCity | None:
    """The active partner city of ``?city=slug`` (None: all of them; unknown ones ignored)."""
    slug = request.args.get("city", "")
    return next((city for city in cities if city.slug == slug), None)


def plan_args(guild: GuildAssociation, period: Period, **extra) -> dict[str, str]:
    """The query arguments of a plan page (for links to other periods and back)."""
    args = {
        "guild": guild.slug,
        "view": period.view,
        "from": period.first.isoformat(),
        "trade": request.args.get("trade", ""),
        "city": request.args.get("city", ""),
    }
    args.update(extra)
    return {key: value for key, value in args.items() if value}


@bp.get("/")
@requires()
def plan():
    """A week or month of the plan: shifts as bars, gaps per city and category, scores."""
    guild = chosen_guild(visible_guilds())
    period = read_period()
    trades = trades_by_slug()
    trade = request.args.get("trade", "")
    trade = trade if trade in trades else ""
    cities = partner_cities()
    city = chosen_city(cities)
    return render_template(
        "console/roster/plan.html",
        guilds=visible_guilds(), guild=guild, period=period, trades=trades, trade=trade,
        cities=cities, city=city, lanes=trade_lanes(guild, period, trade, city),
        coverage=coverage_rows([city] if city else cities, period, trade),
        balance=balance_scores(period.start, period.end, guild.id),
        published=publications(guild, period), waiting=waiting_swaps(guild),
        may_edit=may_edit_guild(staff(), guild), day_label=day_label,
        when=when, seen_mark=seen_mark, args=plan_args(guild, period),
        previous=plan_args(guild, period, **{"from": period.previous.isoformat()}),
        following=plan_args(guild, period, **{"from": period.following.isoformat()}),
        other_view=plan_args(guild, period, view="month" if period.view == "week" else "week"),
    )  # fmt: skip
