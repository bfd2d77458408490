"""The statistics page's numbers: a period of weeks, filters, and the rows they keep.

Everything here is counted anonymously (``backend.roster.stats`` for calls and
"reached?" answers, ``backend.roster.misses`` for searches that found nobody): no
person, number, device or exact place is ever read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from backend.calls.models import SEARCH_CHANNELS
from backend.hours import BERLIN
from backend.reference.catalogue import UnknownSlug, get_emergency, trades_by_slug
from backend.roster.charts import Bar
from backend.roster.misses import unanswered_rows
from backend.roster.stats import weekly_call_stats

DEFAULT_WEEKS, MOST_WEEKS = 8, 53
SEARCH_COLUMNS = ("week", "city", "subject", "channel", "searches_without_business")


@dataclass(frozen=True)
class Period:
    """Whole weeks from a Monday (Europe/Berlin), as the counters keep them."""

    first: date
    weeks: int

    @property
    def start(self) -> datetime:
        """Monday 00:00 of the first week, Berlin time."""
        return datetime.combine(self.first, time(0), BERLIN)

    @property
    def end(self) -> datetime:
        """Monday 00:00 after the last week (exclusive)."""
        return datetime.combine(self.first + timedelta(weeks=self.weeks), time(0), BERLIN)


@dataclass(frozen=True)
class Filters:
    """The weeks and what to keep: a trade, a city and a channel (empty: all)."""

    period: Period
    trade: str = ""
    city: str = ""
    channel: str = ""

    def query_args(self, guild_slug: str) -> dict[str, str]:
        """These filters as query arguments (for the CSV links)."""
        args = {"guild": guild_slug, "from": self.period.first.isoformat(),
                "weeks": str(self.period.weeks), "trade": self.trade, "city": self.city,
                "channel": self.channel}  # fmt: skip
        return {key: value for key, value in args.items() if value}


def monday(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def read_filters(args: Mapping[str, str], today: date, city_slugs: set[str]) -> Filters:
    """The filters of the query arguments; a bad or unknown value falls back to all."""
    try:
        weeks = min(max(int(args.get("weeks", DEFAULT_WEEKS)), 1), MOST_WEEKS)
    except ValueError:
        weeks = DEFAULT_WEEKS
    try:
        first = monday(date.fromisoformat(args.get("from", "")))
    except ValueError:
        first = monday(today) - timedelta(weeks=weeks - 1)
    trade, city, channel = args.get("trade", ""), args.get("city", ""), args.get("channel", "")
    return Filters(
        Period(first, weeks),
        trade=trade if trade in trades_by_slug() else "",
        city=city if city in city_slugs else "",
        channel=channel if channel in SEARCH_CHANNELS else "",
    )


def _subject_has_trade(subject: str, trade: str) -> bool:
    """Whether a search for ``subject`` (an emergency or a trade slug) asked for ``trade``."""
    if subject == trade:
        return True
    try:
        return any(t.slug == trade for t in get_emergency(subject).trades)
    except UnknownSlug:
        return False


def call_rows(filters: Filters, guild_id: int) -> list[tuple]:
    """(week, city, trade, channel, calls, reached, not reached) of the guild's businesses."""
    rows = weekly_call_stats(filters.period.start, filters.period.end, guild_id)
    return [
        row for row in rows
        if (not filters.city or row[1] == filters.city)
        and (not filters.trade or row[2] == filters.trade)
        and (not filters.channel or row[3] == filters.channel)
    ]  # fmt: skip


def search_rows(filters: Filters) -> list[tuple]:
    """(week, city, subject, channel, count) of searches that found nobody available."""
    rows = unanswered_rows(filters.period.start, filters.period.end)
    return [
        row for row in rows
        if (not filters.city or row[1] == filters.city)
        and (not filters.trade or _subject_has_trade(row[2], filters.trade))
        and (not filters.channel or row[3] == filters.channel)
    ]  # fmt: skip


def week_labels(period: Period) -> list[str]:
    """The ISO weeks of the period, e.g. ``2026-W50``, in order."""
    labels = []
    for index in range(period.weeks):
        year, week, _ = (period.first + timedelta(weeks=index)).isocalendar()
        labels.append(f"{year}-W{week:02d}")
    return labels


def search_totals(rows: list[tuple], period: Period) -> list[Bar]:
    """Searches without a business per week of the period (weeks without any show 0)."""
    totals = dict.fromkeys(week_labels(period), 0)
    for week, _city, _subject, _channel, count in rows:
        totals[week] = totals.get(week, 0) + count
    return [Bar(week, (count,)) for week, count in totals.items()]


def call_totals(bars: list[Bar], period: Period) -> list[Bar]:
    """The call bars with an empty bar for every week of the period without calls."""
    found = {bar.label: bar for bar in bars}
    return [found.get(week, Bar(week, (0, 0, 0))) for week in week_labels(period)]
