"""Before a planned shift: a request to confirm (JA), a reminder the day before, and an
alert to the guild's staff when the shift starts unconfirmed.

Run by the worker's housekeeping; each notice is sent once per shift (``duty_notices``).
Shifts of one business with the same span (one per trade) make one SMS.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from backend.extensions import db
from backend.messaging.duty import span_label
from backend.messaging.models import DutyNotice
from backend.messaging.outbound import queue_message
from backend.reference.catalogue import trades_by_slug
from backend.roster.models import RosterShift


def _unconfirmed_plan_shifts(start_before: datetime, now: datetime) -> list[RosterShift]:
    return list(
        db.session.scalars(
            select(RosterShift)
            .where(
                RosterShift.source == "plan",
                RosterShift.confirmed_at.is_(None),
                RosterShift.ends_at > now,
                RosterShift.starts_at <= start_before,
            )
            .order_by(RosterShift.business_id, RosterShift.starts_at)
        )
    )


def _notices(shifts: list[RosterShift]) -> dict[tuple[int, str], DutyNotice]:
    ids = [shift.id for shift in shifts]
    if not ids:
        return {}
    found = db.session.scalars(select(DutyNotice).where(DutyNotice.shift_id.in_(ids)))
    return {(notice.shift_id, notice.kind): notice for notice in found}


def _trade_names(shifts: list[RosterShift]) -> str:
    names = {trade.id: trade.name_de for trade in trades_by_slug().values()}
    return ", ".join(sorted({names.get(shift.trade_id, "?") for shift in shifts}))


def duty_request_text(shifts: list[RosterShift], *, reminder: bool = False) -> str:
    """ "Sie haben Notdienst Sa 18:00 – Mo 07:00 für Installateur. Antworten Sie JA"."""
    first = shifts[0]
    lead = "Erinnerung: " if reminder else ""
    return (
        f"Handwerker-Schnellruf: {lead}Sie haben Notdienst "
        f"{span_label(first.starts_at, first.ends_at)} für {_trade_names(shifts)}. "
        "Antworten Sie JA, um ihn zu bestätigen."
    )


def send_duty_notices(now: datetime) -> dict[str, int]:
    """Queue due requests and reminders, record due alerts; counts by kind."""
    config = current_app.config
    request_lead = timedelta(hours=config["DUTY_REQUEST_LEAD_H"])
    reminder_lead = timedelta(hours=config["DUTY_REMINDER_LEAD_H"])
    shifts = _unconfirmed_plan_shifts(now + request_lead, now)
    notices = _notices(shifts)
    groups: dict[tuple[int, datetime, datetime], list[RosterShift]] = defaultdict(list)
    for shift in shifts:
        groups[(shift.business_id, shift.starts_at, shift.ends_at)].append(shift)
    done = {"duty_requests": 0, "duty_reminders": 0, "duty_alerts": 0}
    for (_business_id, starts_at, _ends_at), group in groups.items():
        business = group[0].business
        if starts_at <= now:
            if _record(group, notices, "alert", now):
                done["duty_alerts"] += 1
            continue
        if not business.mobile:
            continue  # no way to ask: the alert at the start tells the staff
        request = notices.get((group[0].id, "request"))
        if request is None:
            _record(group, notices, "request", now)
            queue_message(
                kind="sms", purpose="duty_request", to_phone=business.mobile,
                body=duty_request_text(group), business=business,
            )  # fmt: skip
            done["duty_requests"] += 1
        elif (
            starts_at - now <= reminder_lead
            # Only when the request went out before the day before (else it is fresh).
            and request.sent_at < starts_at - reminder_lead
            and _record(group, notices, "reminder", now)
        ):
            queue_message(
                kind="sms", purpose="duty_reminder", to_phone=business.mobile,
                body=duty_request_text(group, reminder=True), business=business,
            )  # fmt: skip
            done["duty_reminders"] += 1
    return done


def _record(group: list[RosterShift], notices: dict, kind: str, now: datetime) -> bool:
    """Note ``kind`` as sent for every shift of the group; False if it had been already."""
    fresh = [shift for shift in group if (shift.id, kind) not in notices]
    for shift in fresh:
        notice = DutyNotice(shift_id=shift.id, kind=kind, sent_at=now)
        db.session.add(notice)
        notices[(shift.id, kind)] = notice
    db.session.flush()
    return bool(fresh)


def open_alerts() -> list[tuple[DutyNotice, RosterShift]]:
    """Unconfirmed shifts that started without a JA and that no staff member marked seen."""
    rows = db.session.execute(
        select(DutyNotice, RosterShift)
        .join(RosterShift, RosterShift.id == DutyNotice.shift_id)
        .where(DutyNotice.kind == "alert", DutyNotice.seen_at.is_(None))
        .order_by(RosterShift.starts_at)
    )
    return [(notice, shift) for notice, shift in rows]
