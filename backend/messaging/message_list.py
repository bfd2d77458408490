"""The console's list of outbound SMS and calls of one guild's businesses, newest first.

Paged by id (keyset: page n costs what page 1 costs). Numbers are the caller's to show
or hide: :func:`shown_number` gives the business's number only to staff allowed for its
guild, and :func:`shown_body` never shows a resident's number, whoever reads.
"""

from __future__ import annotations

from sqlalchemy import select

from backend.businesses.models import Business
from backend.businesses.phones import format_national
from backend.extensions import db
from backend.messaging.models import OutboundMessage
from backend.messaging.providers import mask_phone

PAGE_SIZE = 50
STATUS_FILTERS = ("all", "open", "failed")

# What each purpose means to staff (German, English).
PURPOSES = {
    "callback_call": ("Rückruf: Anruf beim Betrieb", "Callback: call to the business"),
    "callback_sms": ("Rückruf: SMS mit der Nummer", "Callback: SMS with the number"),
    "duty_request": ("Notdienst: Bitte um Bestätigung", "Duty: request to confirm"),
    "duty_reminder": ("Notdienst: Erinnerung", "Duty: reminder"),
}
STATUSES = {
    "queued": ("in der Warteschlange", "queued"),
    "retrying": ("wird wiederholt", "retrying"),
    "sent": ("gesendet", "sent"),
    "delivered": ("zugestellt", "delivered"),
    "failed": ("fehlgeschlagen", "failed"),
}


def messages_page(
    guild_id: int, status: str = "all", before: int | None = None
) -> tuple[list[OutboundMessage], int | None]:
    """One page of the guild's messages older than id ``before``, and the next page's id."""
    query = (
        select(OutboundMessage)
        .join(Business, Business.id == OutboundMessage.business_id)
        .where(Business.guild_id == guild_id)
    )
    if status == "failed":
        query = query.where(OutboundMessage.status == "failed")
    elif status == "open":
        query = query.where(OutboundMessage.status.in_(("queued", "retrying")))
    if before is not None:
        query = query.where(OutboundMessage.id < before)
    rows = list(db.session.scalars(query.order_by(OutboundMessage.id.desc()).limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, rows[-1].id if more else None


def shown_number(e164: str | None, allowed: bool) -> str:
    """A business's number in national format for staff allowed for its guild, else masked."""
    if not e164:
        return "–"
    return format_national(e164) if allowed else mask_phone(e164)


def shown_body(message: OutboundMessage) -> str:
    """The SMS text with a resident's number masked (after the purge it is gone anyway)."""
    body = message.body or ""
    callback = message.callback
    resident = callback.resident_phone if callback is not None else None
    if resident:
        for spelling in (format_national(resident), resident):
            body = body.replace(spelling, mask_phone(resident))
    return body
