"""Inbound SMS from businesses: one command per MessageSid, answered in German.

A sender is known by the registered mobile of an active business; anyone else gets a
short answer that tells nothing about who is listed. Twilio retries webhooks, so a
MessageSid seen before gets the stored answer again and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.businesses.models import Business
from backend.businesses.phones import PhoneNumberError, normalise_phone
from backend.extensions import db
from backend.messaging.duty import (
    berlin_label,
    confirm_duty,
    duty_off,
    duty_on,
    duty_status,
    span_label,
)
from backend.messaging.models import InboundSms
from backend.messaging.sms_commands import parse_command

UNKNOWN_SENDER = "Diese Nummer ist beim Handwerker-Schnellruf nicht registriert."
USAGE = (
    "Befehle: AN (Notdienst ab jetzt), AN BIS 22:00, AUS (Notdienst beenden), "
    "STATUS, JA (Notdienst bestätigen)."
)


def sender_businesses(sender: str) -> list[Business]:
    """Active businesses whose registered mobile is ``sender``."""
    try:
        number = normalise_phone(sender)
    except PhoneNumberError:
        return []
    return list(
        db.session.scalars(
            select(Business).where(Business.mobile == number, Business.active.is_(True))
        )
    )


def handle_inbound_sms(message_sid: str, sender: str, text: str, now: datetime) -> str:
    """Apply the command once and return the reply (the stored one for a repeated sid)."""
    seen = db.session.scalar(select(InboundSms).where(InboundSms.message_sid == message_sid))
    if seen is not None:
        return seen.reply
    businesses = sender_businesses(sender)
    command = parse_command(text)
    if not businesses:
        reply, kind = UNKNOWN_SENDER, "unknown_sender"
    else:
        reply, kind = _apply(businesses, command, now), command.kind
    record = InboundSms(
        message_sid=message_sid,
        business_id=businesses[0].id if businesses else None,
        command=kind,
        reply=reply,
        received_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:  # the same sid arrived at once in another request
        db.session.rollback()
        seen = db.session.scalar(select(InboundSms).where(InboundSms.message_sid == message_sid))
        return seen.reply if seen else reply
    return reply


def _apply(businesses: list[Business], command, now: datetime) -> str:
    names = ", ".join(business.name for business in businesses)
    if command.kind == "on":
        ends = [duty_on(business, now, command.until) for business in businesses]
        return (
            f"Notdienst AN für {names} bis {berlin_label(max(ends))}. "
            "Sie werden in der Suche als im Notdienst angezeigt. Beenden mit AUS."
        )
    if command.kind == "off":
        ended = sum(duty_off(business, now) for business in businesses)
        if not ended:
            return f"Kein Notdienst per SMS aktiv. {duty_status(businesses[0], now)}"
        return f"Notdienst AUS für {names}. {duty_status(businesses[0], now)}"
    if command.kind == "status":
        return " ".join(duty_status(business, now) for business in businesses)
    if command.kind == "confirm":
        confirmed = [shift for business in businesses for shift in confirm_duty(business, now)]
        if not confirmed:
            return "Es liegt kein Notdienst zur Bestätigung vor."
        spans = sorted({span_label(shift.starts_at, shift.ends_at) for shift in confirmed})
        return f"Danke! Notdienst bestätigt: {'; '.join(spans)}."
    return USAGE
