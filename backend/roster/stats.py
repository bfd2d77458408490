"""What the calls tell: weekly counts per trade, city and channel, and reachability.

Only anonymous call events are read (no person, number or device is stored there).
A call counts for a partner city when the called business covers the city by the
coverage rule (centre within its service radius and the city's coverage distance).
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime

from sqlalchemy import select

from backend.businesses.models import Business
from backend.calls.models import CallEvent
from backend.calls.reachability import (  # noqa: F401 (the statistics' public names)
    DEFAULT_REACHABILITY,
    Unreachable,
    reachability_rules,
    unreachable_businesses,
)
from backend.extensions import db
from backend.hours import BERLIN
from backend.imports.csv_write import write_csv
from backend.messaging.models import CallbackRequest
from backend.reference.catalogue import get_emergency, trade_slugs_by_id
from backend.roster.charts import Bar, bar_chart
from backend.roster.coverage import partner_cities, providers_near

CALL_SEGMENTS = ("erreicht", "nicht erreicht", "ohne Antwort")
STAT_COLUMNS = ("week", "city", "trade", "channel", "calls", "reached", "not_reached")
# A callback request's state as the answer to "reached?" (None: no answer yet, or no call).
CALLBACK_REACHED = {"connected": True, "business_not_answered": False}


def weekly_call_stats(start: datetime, end: datetime, guild_id: int | None = None) -> list[tuple]:
    """Rows (ISO week, city, trade, channel, calls, reached, not reached), sorted.

    Callback requests count as calls of channel ``callback``: reached when the business
    took the call, not reached when it did not answer. ``guild_id`` keeps one guild's
    businesses.
    """
    events = _calls(start, end, guild_id)
    if not events:
        return []
    cities = {
        city.slug: {p.business_id: p.trade_ids for p in providers_near(city, start, end)}
        for city in partner_cities()
    }
    slugs = trade_slugs_by_id()
    counts: Counter = Counter()
    for business_id, category, channel, at, reached in events:
        year, week, _ = at.astimezone(BERLIN).isocalendar()
        for city, covering in cities.items():
            trade_ids = covering.get(business_id)
            if trade_ids is None:
                continue
            wanted = {t.id for t in get_emergency(category).trades} if category else trade_ids
            trade = slugs[min(trade_ids & wanted or trade_ids)]
            key = (f"{year}-W{week:02d}", city, trade, channel)
            counts[(*key, "calls")] += 1
            if reached is not None:
                counts[(*key, "reached" if reached else "not_reached")] += 1
    keys = sorted({key[:4] for key in counts})
    return [
        (*key, counts[(*key, "calls")], counts[(*key, "reached")], counts[(*key, "not_reached")])
        for key in keys
    ]


def _calls(start: datetime, end: datetime, guild_id: int | None) -> list[tuple]:
    """(business, category, channel, at, reached) of call events and callback requests."""
    taps = select(CallEvent.business_id, CallEvent.category, CallEvent.channel, CallEvent.at,
                  CallEvent.reached).where(CallEvent.at >= start, CallEvent.at < end)  # fmt: skip
    callbacks = select(
        CallbackRequest.business_id, CallbackRequest.emergency, CallbackRequest.state,
        CallbackRequest.created_at,
    ).where(CallbackRequest.created_at >= start, CallbackRequest.created_at < end)  # fmt: skip
    if guild_id is not None:
        taps = taps.join(Business).where(Business.guild_id == guild_id)
        callbacks = callbacks.join(Business).where(Business.guild_id == guild_id)
    rows = [tuple(row) for row in db.session.execute(taps)]
    for business_id, emergency, state, at in db.session.execute(callbacks):
        rows.append((business_id, emergency, "callback", at, CALLBACK_REACHED.get(state)))
    return rows


def stats_csv(rows: list[tuple]) -> str:
    """The weekly rows as CSV with a header (UTF-8, cells neutralised against formulas)."""
    buffer = io.StringIO()
    write_csv(buffer, STAT_COLUMNS, rows)
    return buffer.getvalue()


def weekly_totals(rows: list[tuple]) -> list[Bar]:
    """Per week: calls reached, not reached and without an answer, over all other columns."""
    weeks: dict[str, list[int]] = {}
    for week, _city, _trade, _channel, calls, reached, not_reached in rows:
        total = weeks.setdefault(week, [0, 0, 0])
        total[0] += reached
        total[1] += not_reached
        total[2] += calls - reached - not_reached
    return [Bar(week, values) for week, values in sorted(weeks.items())]


def stats_svg(rows: list[tuple], title: str = "Anrufe je Woche") -> str:
    """A stacked bar chart of the calls per week (reached, not reached, no answer)."""
    return bar_chart(
        weekly_totals(rows), CALL_SEGMENTS, title=title,
        desc="Anrufe je Kalenderwoche: erreicht, nicht erreicht, ohne Antwort.",
    )  # fmt: skip
