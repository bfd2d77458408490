"""Fill suggestions: who should take an uncovered span of the plan.

Candidates are the businesses that would close the gap by the coverage rule (listed,
one of the category's trades, the city centre within their service radius and the
city's coverage distance), never one overdue for verification (due and past its
guild's grace period), even where the guild does not withhold those from the listings.
Among them, those that would break the guild's rules are left out: a minimum rest
between two duties and a cap of duties per calendar month. The rest are proposed
longest without duty first (never on duty comes first), nearest first among equals.
Staff accept or change each proposal.

Rules per guild: ``ROSTER_RULES`` in the configuration, overridden per guild slug by
``ROSTER_GUILD_RULES`` (see the README).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from backend.businesses.models import Business, VerificationPolicy
from backend.businesses.verification import DEFAULT_DUE_MONTHS, DEFAULT_GRACE_DAYS, months_before
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.models import GuildAssociation, PartnerCity
from backend.reference.catalogue import get_emergency, trade_slugs_by_id
from backend.roster.coverage import providers_near
from backend.roster.models import RosterShift

DEFAULT_RULES = {"min_rest_hours": 72, "max_shifts_per_month": 4}


@dataclass(frozen=True)
class Suggestion:
    """A proposed shift: this business, this trade, this span."""

    business_id: int
    name: str
    trade: str
    start: datetime
    end: datetime
    distance_km: float
    last_duty_end: datetime | None
    duties_this_month: int


def guild_rules(guild_slug: str) -> dict[str, float]:
    """The planning rules of one guild: the defaults with the guild's overrides."""
    config = current_app.config
    rules = {**DEFAULT_RULES, **config.get("ROSTER_RULES", {})}
    rules.update(config.get("ROSTER_GUILD_RULES", {}).get(guild_slug, {}))
    return rules


def fill_suggestions(
    city: PartnerCity, emergency: str, start: datetime, end: datetime, limit: int = 5
) -> list[Suggestion]:
    """Up to ``limit`` proposals for who takes [start, end) for ``emergency`` in ``city``."""
    category = get_emergency(emergency)
    wanted = {trade.id for trade in category.trades}
    providers = [p for p in providers_near(city, start, end) if p.trade_ids & wanted]
    if not providers:
        return []
    ids = [p.business_id for p in providers]
    businesses = {b.id: b for b in db.session.scalars(select(Business).where(Business.id.in_(ids)))}
    guilds = dict(db.session.execute(select(GuildAssociation.id, GuildAssociation.slug)).all())
    grace_days = dict(
        db.session.execute(select(VerificationPolicy.guild_id, VerificationPolicy.grace_days)).all()
    )
    now = datetime.now(UTC)
    last_end = dict(
        db.session.execute(
            select(RosterShift.business_id, func.max(RosterShift.ends_at))
            .where(RosterShift.business_id.in_(ids), RosterShift.ends_at <= start)
            .group_by(RosterShift.business_id)
        ).all()
    )
    month_start, month_end = _month(start)
    month_counts = dict(
        db.session.execute(
            select(RosterShift.business_id, func.count())
            .where(
                RosterShift.business_id.in_(ids),
                RosterShift.starts_at >= month_start,
                RosterShift.starts_at < month_end,
            )
            .group_by(RosterShift.business_id)
        ).all()
    )
    slugs = trade_slugs_by_id()
    found = []
    for provider in providers:
        business = businesses[provider.business_id]
        if not _listable(business, grace_days, now):
            continue
        rules = guild_rules(guilds[business.guild_id])
        rest = timedelta(hours=rules["min_rest_hours"])
        if _too_close(business.id, start - rest, end + rest):
            continue
        count = month_counts.get(business.id, 0)
        if count >= rules["max_shifts_per_month"]:
            continue
        trade = min(provider.trade_ids & wanted)
        distance = round(provider.distance_km, 1)
        last = last_end.get(business.id)
        found.append(
            Suggestion(business.id, business.name, slugs[trade], start, end, distance, last, count)
        )
    never = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda s: (s.last_duty_end or never, s.distance_km, s.name))
    return found[:limit]


def _listable(business: Business, grace_days: dict[int, int], now: datetime) -> bool:
    """Listed, and not overdue for verification (due plus the guild's grace period),
    whether or not its guild withholds overdue businesses from the listings."""
    if not business.listed:
        return False
    due_months = current_app.config.get("VERIFICATION_DUE_MONTHS", DEFAULT_DUE_MONTHS)
    grace = timedelta(days=grace_days.get(business.guild_id, DEFAULT_GRACE_DAYS))
    checked = business.verified_at or business.created_at
    return checked >= months_before(now, due_months) - grace


def _too_close(business_id: int, low: datetime, high: datetime) -> bool:
    """True when the business has a duty within the rest time around the span."""
    return (
        db.session.scalar(
            select(RosterShift.id).where(
                RosterShift.business_id == business_id,
                RosterShift.starts_at < high,
                RosterShift.ends_at > low,
            )
        )
        is not None
    )


def _month(instant: datetime) -> tuple[datetime, datetime]:
    """The Berlin calendar month around ``instant``."""
    local = instant.astimezone(BERLIN)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following
