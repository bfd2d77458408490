"""Duty set by SMS ("AN") as the console shows it: current overrides of a guild, and ending one.

An override is a business's running (or coming) SMS shifts, one per trade, with one end.
Ending it from the console is ``AUS`` on the business's behalf (:func:`duty_off`), with an
audit entry; the search sees it with the next commit, as it sees every roster change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from backend.audit.operations import Actor, record_change
from backend.businesses.models import Business
from backend.extensions import db
from backend.messaging.duty import duty_off
from backend.roster.models import RosterShift


@dataclass(frozen=True, slots=True)
class SmsOverride:
    """One business on duty by SMS: since when, until when, for which trades."""

    business: Business
    starts_at: datetime
    ends_at: datetime
    trade_ids: tuple[int, ...]


def current_overrides(guild_id: int, now: datetime) -> list[SmsOverride]:
    """The guild's businesses on duty by SMS now, soonest end first."""
    shifts = db.session.scalars(
        select(RosterShift)
        .join(Business, Business.id == RosterShift.business_id)
        .where(
            Business.guild_id == guild_id,
            RosterShift.source == "sms",
            RosterShift.starts_at <= now,
            RosterShift.ends_at > now,
        )
        .order_by(RosterShift.business_id, RosterShift.trade_id)
    )
    grouped: dict[int, list[RosterShift]] = {}
    for shift in shifts:
        grouped.setdefault(shift.business_id, []).append(shift)
    overrides = [
        SmsOverride(
            business=group[0].business,
            starts_at=min(shift.starts_at for shift in group),
            ends_at=max(shift.ends_at for shift in group),
            trade_ids=tuple(shift.trade_id for shift in group),
        )
        for group in grouped.values()
    ]
    return sorted(overrides, key=lambda override: (override.ends_at, override.business.name))


def end_override(business: Business, actor: Actor, now: datetime) -> int:
    """End the business's duty by SMS now, audited; returns how many shifts ended (0: none)."""
    running = [o for o in current_overrides(business.guild_id, now) if o.business.id == business.id]
    if not running:
        return 0
    ended = duty_off(business, now)
    record_change(
        actor,
        "sms_duty_end",
        business,
        {"shifts": ended},
        changes={"sms_duty_until": (running[0].ends_at, now.replace(second=0, microsecond=0))},
    )
    db.session.flush()
    return ended
