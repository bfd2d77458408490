"""Anonymous call events: a tap on "Anrufen" and whether the resident reached someone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.types import UTCDateTime, utcnow
from backend.extensions import db

CALL_CHANNELS = ("app", "widget", "api")
# Where a search came from, for the anonymous statistics: the call channels, and
# "callback" for a client that searches in order to offer callbacks.
SEARCH_CHANNELS = (*CALL_CHANNELS, "callback")


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
    # The partner city whose widget the call came from (channel "widget"), else None.
    city_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_cities.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Answer to "Haben Sie jemanden erreicht?"; None until the resident answers.
    reached: Mapped[bool | None] = mapped_column(Boolean)
