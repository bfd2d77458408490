"""Staff alerts: planned shifts that started unconfirmed, in the console and by e-mail.

The alert itself is a :class:`DutyNotice` of kind ``alert`` (written by the housekeeping,
:mod:`.duty_notices`). Each guild's staff get one e-mail per tick listing the alerts not
mailed yet; a notice of kind ``alert_mail`` per shift records that it went, so a shift
is never mailed twice. The mail goes to all the guild's staff in one SMTP transaction:
it reached everybody or nobody, and an SMTP failure is simply tried again next tick.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from backend.audit.operations import Actor, record_change
from backend.businesses.digest import guild_recipients
from backend.businesses.models import Business
from backend.extensions import db
from backend.messaging.duty import span_label
from backend.messaging.models import DutyNotice
from backend.organisations.models import GuildAssociation
from backend.reference.catalogue import trades_by_slug
from backend.roster.models import RosterShift

MAILED = "alert_mail"


@dataclass(frozen=True, slots=True)
class AlertMail:
    """One guild's e-mail about shifts that started unconfirmed."""

    guild: GuildAssociation
    recipients: list[str]
    subject: str
    body: str
    shift_ids: list[int]


def guild_alerts(guild_id: int) -> list[tuple[DutyNotice, RosterShift]]:
    """The guild's open alerts (not marked seen), earliest shift first."""
    rows = db.session.execute(
        select(DutyNotice, RosterShift)
        .join(RosterShift, RosterShift.id == DutyNotice.shift_id)
        .join(Business, Business.id == RosterShift.business_id)
        .where(
            Business.guild_id == guild_id,
            DutyNotice.kind == "alert",
            DutyNotice.seen_at.is_(None),
        )
        .order_by(RosterShift.starts_at, Business.name, RosterShift.id)
    )
    return [(notice, shift) for notice, shift in rows]


def acknowledge_alert(notice: DutyNotice, actor: Actor, now: datetime) -> bool:
    """Mark an alert seen (audited); False when it had been already."""
    if notice.seen_at is not None:
        return False
    notice.seen_at = now
    record_change(
        actor, "duty_alert_seen", notice, {"shift_id": notice.shift_id},
        changes={"seen_at": (None, now)},
    )  # fmt: skip
    db.session.flush()
    return True


def _trade_name(trade_id: int) -> str:
    names = {trade.id: trade.name_de for trade in trades_by_slug().values()}
    return names.get(trade_id, "?")


def pending_alert_mails(console_url: str) -> list[AlertMail]:
    """Per guild, the alerts no e-mail went out for yet (guilds without staff: none)."""
    mailed = select(DutyNotice.shift_id).where(DutyNotice.kind == MAILED)
    rows = db.session.execute(
        select(RosterShift, Business)
        .join(DutyNotice, DutyNotice.shift_id == RosterShift.id)
        .join(Business, Business.id == RosterShift.business_id)
        .where(
            DutyNotice.kind == "alert",
            DutyNotice.seen_at.is_(None),  # already handled in the console: no mail needed
            RosterShift.id.not_in(mailed),
        )
        .order_by(Business.guild_id, RosterShift.starts_at, Business.name)
    )
    by_guild: dict[int, list[tuple[RosterShift, Business]]] = defaultdict(list)
    for shift, business in rows:
        by_guild[business.guild_id].append((shift, business))
    mails = []
    for group in by_guild.values():
        guild = group[0][1].guild
        recipients = guild_recipients(guild)
        if recipients:
            mails.append(_alert_mail(guild, recipients, group, console_url))
    return mails


def _alert_mail(guild, recipients, group, console_url: str) -> AlertMail:
    lines = [
        f"- {span_label(shift.starts_at, shift.ends_at)}: {business.name} ({business.ref}), "
        f"{_trade_name(shift.trade_id)}"
        for shift, business in group
    ]
    count = len(group)
    body = (
        f"Guten Tag,\n\nbei {guild.name} {'hat' if count == 1 else 'haben'} {count} "
        f"Notdienst{'' if count == 1 else 'e'} begonnen, ohne dass der Betrieb mit JA "
        "bestätigt hat:\n\n" + "\n".join(lines) + "\n\n"
        "Bitte klären Sie, ob der Betrieb erreichbar ist. In der Konsole als gesehen "
        f"markieren: {console_url}\n\n"
        f"--\n{count} duty shift(s) of {guild.name} started without the business "
        f"confirming (JA). Please check that the business can be reached: {console_url}\n"
    )
    subject = f"Notdienst nicht bestätigt: {count} – {guild.name}"
    return AlertMail(guild, recipients, subject, body, [shift.id for shift, _ in group])


def record_alert_mail(mail: AlertMail, now: datetime) -> None:
    """Note that ``mail`` went out: its shifts are never mailed again."""
    for shift_id in mail.shift_ids:
        db.session.add(DutyNotice(shift_id=shift_id, kind=MAILED, sent_at=now))
    db.session.flush()
