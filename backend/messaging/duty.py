"""Emergency duty from the van: AN / AUS / STATUS by SMS, and confirming roster shifts (JA).

Duty by SMS is written as roster shifts (``source = "sms"``, one per trade of the
business, confirmed by the business itself): the search, its index and the answer cache
see it exactly like a shift of the Notdienstplan, through the same rows and the same
data version triggers, with no second set of rules. ``AUS`` ends those shifts; the
guild's planned shifts are left as the guild planned them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from backend.businesses.models import Business
from backend.extensions import db
from backend.hours import BERLIN
from backend.hours.availability import HoursSpec, describe_availability
from backend.roster.models import RosterShift

WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def berlin_label(at: datetime) -> str:
    """``Sa 18:00`` in Berlin time."""
    local = at.astimezone(BERLIN)
    return f"{WEEKDAYS[local.weekday()]} {local:%H:%M}"


def span_label(start: datetime, end: datetime) -> str:
    """``Sa 18:00 – Mo 07:00``."""
    return f"{berlin_label(start)} – {berlin_label(end)}"


def sms_duty_end(business: Business, now: datetime, until: time | None) -> datetime:
    """When ``AN`` ends: at ``until`` (next time that wall-clock time comes), else at the
    next regular opening, at most ``DUTY_SMS_DEFAULT_H`` hours from now."""
    if until is not None:
        local = now.astimezone(BERLIN)
        end = datetime.combine(local.date(), until, tzinfo=BERLIN)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), until, tzinfo=BERLIN)
        return end
    longest = timedelta(hours=current_app.config["DUTY_SMS_DEFAULT_H"])
    opening = describe_availability(
        HoursSpec(business.land, business.opening_hours, None), (), now, longest
    )
    if not opening.available and opening.next_available is not None:
        return opening.next_available
    return now + longest


def _running_sms_shifts(business: Business, now: datetime) -> list[RosterShift]:
    return list(
        db.session.scalars(
            select(RosterShift).where(
                RosterShift.business_id == business.id,
                RosterShift.source == "sms",
                RosterShift.starts_at <= now,
                RosterShift.ends_at > now,
            )
        )
    )


def duty_on(business: Business, now: datetime, until: time | None) -> datetime:
    """On duty for every trade of the business from this minute; returns the end.

    From the minute, not the second: a search without a time asks about the current
    minute and must already see the new duty.
    """
    now = now.replace(second=0, microsecond=0)
    end = sms_duty_end(business, now, until)
    running = {shift.trade_id: shift for shift in _running_sms_shifts(business, now)}
    for link in business.trade_links:
        shift = running.get(link.trade_id)
        if shift is None:
            db.session.add(
                RosterShift(
                    business=business, trade_id=link.trade_id, starts_at=now, ends_at=end,
                    source="sms", confirmed_at=now,
                )
            )  # fmt: skip
        else:
            shift.ends_at = end
    db.session.flush()
    return end


def duty_off(business: Business, now: datetime) -> int:
    """End the business's SMS duty now (with this minute); returns how many shifts ended."""
    now = now.replace(second=0, microsecond=0)
    running = _running_sms_shifts(business, now)
    for shift in running:
        if shift.starts_at >= now:
            db.session.delete(shift)
        else:
            shift.ends_at = now
    db.session.flush()
    return len(running)


def covering_shifts(business: Business, now: datetime) -> list[RosterShift]:
    """The business's shifts (planned or by SMS) running at ``now``, latest end first."""
    return list(
        db.session.scalars(
            select(RosterShift)
            .where(
                RosterShift.business_id == business.id,
                RosterShift.starts_at <= now,
                RosterShift.ends_at > now,
            )
            .order_by(RosterShift.ends_at.desc())
        )
    )


def duty_status(business: Business, now: datetime) -> str:
    """What the system shows about the business now, in one German SMS."""
    shifts = covering_shifts(business, now)
    lookahead = timedelta(days=current_app.config["AVAILABILITY_LOOKAHEAD_DAYS"])
    future = db.session.scalars(
        select(RosterShift).where(RosterShift.business_id == business.id, RosterShift.ends_at > now)
    ).all()
    availability = describe_availability(
        HoursSpec(business.land, business.opening_hours, business.emergency_hours),
        [(shift.starts_at, shift.ends_at) for shift in future],
        now,
        lookahead,
    )
    if shifts:
        shift = shifts[0]
        how = "per SMS" if shift.source == "sms" else "laut Notdienstplan"
        confirmed = " (bestätigt)" if shift.confirmed_at else " (nicht bestätigt: JA senden)"
        ending = " Beenden mit AUS." if shift.source == "sms" else ""
        return f"Sie sind im Notdienst {how} bis {berlin_label(shift.ends_at)}{confirmed}.{ending}"
    if availability.available:
        until = availability.available_until
        return "Sie werden als erreichbar angezeigt (Öffnungszeiten)" + (
            f" bis {berlin_label(until)}." if until else "."
        )
    nxt = availability.next_available
    then = f" Nächste Erreichbarkeit: {berlin_label(nxt)}." if nxt else ""
    return f"Sie werden derzeit nicht als erreichbar angezeigt.{then} Notdienst mit AN starten."


def confirm_duty(business: Business, now: datetime) -> list[RosterShift]:
    """``JA``: confirm the business's planned shifts now running or starting within the
    request lead (those it was asked about); returns them in time order."""
    lead = timedelta(hours=current_app.config["DUTY_REQUEST_LEAD_H"])
    shifts = list(
        db.session.scalars(
            select(RosterShift)
            .where(
                RosterShift.business_id == business.id,
                RosterShift.source == "plan",
                RosterShift.confirmed_at.is_(None),
                RosterShift.ends_at > now,
                RosterShift.starts_at <= now + lead,
            )
            .order_by(RosterShift.starts_at)
        )
    )
    for shift in shifts:
        shift.confirmed_at = now
    db.session.flush()
    return shifts
