"""The Notdienstplan: shifts, calendar links, published periods and swap requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
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
    # "plan": from the Notdienstplan; "sms": the business said AN by SMS (backend.messaging).
    source: Mapped[str] = mapped_column(String(8), default="plan", server_default="plan")
    # When the business confirmed the shift (answered JA; an SMS shift is confirmed itself).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    business: Mapped[Business] = relationship()
    trade: Mapped[Trade] = relationship()


class CalendarToken(db.Model):
    """The secret link of a business's duty calendar (ICS), stored as a SHA-256 hash.

    The token itself is shown once when it is made; resetting makes a new one, so an
    old link that was passed on stops working.
    """

    __tablename__ = "roster_calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), unique=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    business: Mapped[Business] = relationship()


class RosterPublication(db.Model):
    """A guild published its plan for a period; the gaps left then are counted."""

    __tablename__ = "roster_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guild_associations.id"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    published_by: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    gap_count: Mapped[int] = mapped_column(Integer)


SWAP_STATUSES = ("asked", "accepted", "approved", "rejected")


class RosterSwap(db.Model):
    """A business asks another to take one of its shifts (link with a hashed token)."""

    __tablename__ = "roster_swaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(
        ForeignKey("roster_shifts.id", ondelete="CASCADE"), index=True
    )
    from_business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    to_business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    auto_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))

    shift: Mapped[RosterShift] = relationship()


class UnansweredSearch(db.Model):
    """How many searches found nobody available, per week, city, subject and channel.

    Anonymous counters only: no location, time of day or anything of the person.
    """

    __tablename__ = "roster_unanswered_searches"
    __table_args__ = (UniqueConstraint("week", "city", "subject", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[date] = mapped_column(Date)  # the Monday (Berlin) of the ISO week
    city: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64))  # emergency or trade slug
    channel: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer, default=0)
