"""Audit log of staff changes and anonymous call events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.types import UTCDateTime, utcnow

CALL_CHANNELS = ("app", "widget", "api")


class AuditLogEntry(db.Model):
    """Who changed what, when: required to vouch for the quality of the database."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CallEvent(db.Model):
    """A tap on "Anrufen": no personal data, no IP address, no device identifier."""

    __tablename__ = "call_events"
    __table_args__ = (Index("ix_call_events_business_at", "business_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random id chosen by the client so the later "reached?" answer can be attached
    # to the same event without any identifier of the person or device.
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    category: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Answer to "Haben Sie jemanden erreicht?"; None until the resident answers.
    reached: Mapped[bool | None] = mapped_column(Boolean)
