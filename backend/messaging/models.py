"""Callback requests, outbound messages and calls, inbound SMS and duty notices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.businesses.models import Business
from backend.core.types import UTCDateTime, utcnow
from backend.extensions import db

# What a resident sees of a callback request (GET /api/v1/callbacks/<id>).
CALLBACK_STATES = (
    "queued",
    "calling_business",
    "connected",
    "business_not_answered",
    "failed",
)
# Delivery of one outbound SMS or call: "retrying" after a failed attempt that will be
# repeated, "failed" when no attempt is left (the error stays in ``last_error``).
OUTBOUND_STATES = ("queued", "retrying", "sent", "delivered", "failed")


class CallbackRequest(db.Model):
    """A resident's request to be called back by one business.

    ``resident_phone`` is personal data: it is blanked ``CALLBACK_PHONE_RETENTION_H``
    hours after the request at the latest (``purged_at`` says when).
    """

    __tablename__ = "callback_requests"
    __table_args__ = (Index("ix_callback_requests_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random public id: the resident's app polls with it; ids must not be guessable.
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    resident_phone: Mapped[str | None] = mapped_column(String(20))
    emergency: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default="app")
    state: Mapped[str] = mapped_column(String(24), default="queued")
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Twilio's last CallStatus / DialCallStatus, for staff reading the console.
    call_status: Mapped[str | None] = mapped_column(String(24))
    failure: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    business: Mapped[Business] = relationship()


class OutboundMessage(db.Model):
    """One SMS or call the system sends, whichever provider delivers it.

    Queue jobs carry only this row's id, never a number or a text: what is sent and to
    whom lives here, where the purge can reach it.
    """

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_messages_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "sms" or "call"
    purpose: Mapped[str] = mapped_column(String(32))  # e.g. callback_call, duty_request
    to_phone: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str | None] = mapped_column(Text)
    business_id: Mapped[int | None] = mapped_column(
        ForeignKey("businesses.id", ondelete="SET NULL"), index=True
    )
    callback_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_requests.id", ondelete="CASCADE"), index=True
    )
    provider: Mapped[str] = mapped_column(String(16))
    provider_sid: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    business: Mapped[Business | None] = relationship()
    callback: Mapped[CallbackRequest | None] = relationship()


class InboundSms(db.Model):
    """An SMS received on the webhook, kept so that a repeated MessageSid changes nothing.

    The sender's number is not stored: a known sender is its business, an unknown one
    is nobody we need to remember.
    """

    __tablename__ = "inbound_sms"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    business_id: Mapped[int | None] = mapped_column(
        ForeignKey("businesses.id", ondelete="SET NULL")
    )
    command: Mapped[str] = mapped_column(String(16))
    reply: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DutyNotice(db.Model):
    """A notice about one roster shift that was sent once: request, reminder or staff alert."""

    __tablename__ = "duty_notices"
    __table_args__ = (UniqueConstraint("shift_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("roster_shifts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # request, reminder, alert
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Alerts stay open in the console until a staff member marks them seen.
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
