"""How good a plan is: coverage per city and category, balance of duty between businesses.

Coverage is the share of the planned period without a gap (:mod:`.coverage`). Balance
is measured per trade over the businesses on duty in the period (at least one shift
of that trade): their duty hours, the smallest over the largest (Grafana OnCall's
"min/max"; 1.0 is perfectly even), the coefficient of variation and the Gini
coefficient (0.0 is perfectly even).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from math import sqrt

from sqlalchemy import select

from backend.businesses.models import Business
from backend.extensions import db
from backend.reference.catalogue import trade_slugs_by_id
from backend.roster.models import RosterShift


@dataclass(frozen=True)
class Balance:
    """How evenly one trade's duty hours are shared among the businesses on duty."""

    trade: str
    businesses: int
    total_hours: float
    min_hours: float
    max_hours: float
    min_max_ratio: float
    coefficient_of_variation: float
    gini: float


def duty_hours(
    start: datetime, end: datetime, guild_id: int | None = None
) -> dict[str, dict[int, float]]:
    """Hours of duty per trade slug and business id within [start, end) (clipped)."""
    statement = select(
        RosterShift.business_id, RosterShift.trade_id, RosterShift.starts_at, RosterShift.ends_at
    ).where(RosterShift.ends_at > start, RosterShift.starts_at < end)
    if guild_id is not None:
        statement = statement.join(Business).where(Business.guild_id == guild_id)
    slugs = trade_slugs_by_id()
    low, high = start.astimezone(UTC), end.astimezone(UTC)
    hours: dict[str, dict[int, float]] = {}
    for business_id, trade_id, starts_at, ends_at in db.session.execute(statement):
        span = min(ends_at, high) - max(starts_at, low)
        per_trade = hours.setdefault(slugs[trade_id], {})
        per_trade[business_id] = per_trade.get(business_id, 0.0) + span.total_seconds() / 3600
    return hours


def balance_scores(start: datetime, end: datetime, guild_id: int | None = None) -> list[Balance]:
    """The balance of every trade with duty in [start, end), by trade slug."""
    return [
        balance_of(trade, list(per_business.values()))
        for trade, per_business in sorted(duty_hours(start, end, guild_id).items())
    ]


def balance_of(trade: str, hours: Sequence[float]) -> Balance:
    """The balance measures of one trade's duty hours (one value per business on duty)."""
    total, low, high = sum(hours), min(hours), max(hours)
    return Balance(
        trade=trade,
        businesses=len(hours),
        total_hours=round(total, 2),
        min_hours=round(low, 2),
        max_hours=round(high, 2),
        min_max_ratio=round(low / high, 3) if high else 1.0,
        coefficient_of_variation=round(coefficient_of_variation(hours), 3),
        gini=round(gini(hours), 3),
    )


def coefficient_of_variation(values: Sequence[float]) -> float:
    """Population standard deviation over the mean (0.0 for equal values or none)."""
    if not values:
        return 0.0
    mean = sum(values) / len(values)
    if mean == 0:
        return 0.0
    variance = sum((value - mean) ** 2 for value in values) / len(values)
    return sqrt(variance) / mean


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values: 0.0 even, towards 1.0 one takes all."""
    ordered = sorted(values)
    count, total = len(ordered), sum(ordered)
    if count == 0 or total == 0:
        return 0.0
    weighted = sum((rank + 1) * value for rank, value in enumerate(ordered))
    return (2 * weighted) / (count * total) - (count + 1) / count
