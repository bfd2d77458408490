"""What a plan page shows, read through the roster operations: shifts, gaps, scores.

The gaps are those of :func:`backend.roster.coverage.city_coverage`, the operation
behind ``flask roster gaps``; nothing here judges coverage itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from backend.businesses.models import Business
from backend.console.roster.period import Bar, Period
from backend.extensions import db
from backend.organisations.models import GuildAssociation, PartnerCity
from backend.reference.catalogue import EmergencyRef, TradeRef, catalogue, trades_by_slug
from backend.roster.coverage import Gap, city_coverage, providers_near
from backend.roster.models import RosterPublication, RosterShift, RosterSwap


@dataclass(frozen=True)
class ShiftRow:
    """One shift of the plan, with its bar on the timeline."""

    shift: RosterShift
    bar: Bar | None


@dataclass
class TradeLane:
    """The shifts of one trade in the period."""

    trade: TradeRef
    rows: list[ShiftRow] = field(default_factory=list)


@dataclass(frozen=True)
class GapRow:
    """One city's coverage of one emergency category: score, gaps and their bars."""

    category: EmergencyRef
    score: float
    gaps: list[tuple[Gap, Bar | None]]


@dataclass(frozen=True)
class CityRows:
    """A partner city's coverage per category."""

    city: PartnerCity
    rows: list[GapRow]

    @property
    def gap_count(self) -> int:
        """How many gaps the city has in the period."""
        return sum(len(row.gaps) for row in self.rows)


def trade_lanes(
    guild: GuildAssociation, period: Period, trade: str = "", city: PartnerCity | None = None
) -> list[TradeLane]:
    """The guild's shifts overlapping the period, per trade (optionally one trade, or
    the businesses that reach one city), each by start."""
    statement = (
        select(RosterShift)
        .join(Business, Business.id == RosterShift.business_id)
        .options(joinedload(RosterShift.business))
        .where(
            Business.guild_id == guild.id,
            RosterShift.ends_at > period.start,
            RosterShift.starts_at < period.end,
        )
        .order_by(RosterShift.starts_at, Business.name, RosterShift.id)
    )
    trades = trades_by_slug()
    if trade in trades:
        statement = statement.where(RosterShift.trade_id == trades[trade].id)
    if city is not None:
        near = [p.business_id for p in providers_near(city, period.start, period.end)]
        statement = statement.where(RosterShift.business_id.in_(near or [-1]))
    lanes: dict[int, TradeLane] = {}
    by_id = {ref.id: ref for ref in trades.values()}
    for shift in db.session.scalars(statement).unique():
        lane = lanes.setdefault(shift.trade_id, TradeLane(by_id[shift.trade_id]))
        lane.rows.append(ShiftRow(shift, period.bar(shift.starts_at, shift.ends_at)))
    return sorted(lanes.values(), key=lambda lane: lane.trade.name_de)


def coverage_rows(cities: list[PartnerCity], period: Period, trade: str = "") -> list[CityRows]:
    """Each city's gaps and coverage score per category with trades (those of ``trade``)."""
    categories = [
        c for c in catalogue().emergencies
        if c.trades and (not trade or trade in {t.slug for t in c.trades})
    ]  # fmt: skip
    result = []
    for city in cities:
        coverage = city_coverage(city, period.start, period.end)
        rows = [
            GapRow(category, coverage.score(category.slug), [
                (gap, period.bar(gap.start, gap.end)) for gap in coverage.gaps[category.slug]
            ])
            for category in categories
        ]  # fmt: skip
        result.append(CityRows(city, rows))
    return result


def publications(guild: GuildAssociation, period: Period) -> list[RosterPublication]:
    """The guild's publications that overlap the period, latest first."""
    return list(
        db.session.scalars(
            select(RosterPublication)
            .where(
                RosterPublication.guild_id == guild.id,
                RosterPublication.first_day <= period.last,
                RosterPublication.last_day >= period.first,
            )
            .order_by(RosterPublication.published_at.desc())
        )
    )


def waiting_swaps(guild: GuildAssociation) -> int:
    """How many accepted swaps of the guild's shifts wait for staff."""
    return len(
        db.session.scalars(
            select(RosterSwap.id)
            .join(Business, Business.id == RosterSwap.from_business_id)
            .where(Business.guild_id == guild.id, RosterSwap.status == "accepted")
        ).all()
    )
