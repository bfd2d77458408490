"""Notdienstplan entries: a business on emergency duty for a trade during a span."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.businesses.models import Business
from backend.core.types import UTCDateTime, utcnow
from backend.extensions import db
from backend.reference.models import Trade


class RosterShift(db.Model):
    """A Notdienstplan entry: on emergency duty for a trade during [starts_at, ends_at)."""

    __tablename__ = "roster_shifts"
    __table_args__ = (
        UniqueConstraint("business_id", "trade_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_roster_shifts_trade_ends", "trade_id", "ends_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    business: Mapped[Business] = relationship()
    trade: Mapped[Trade] = relationship()
