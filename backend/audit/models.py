"""The audit log of staff changes: who changed what, when, field by field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.core.types import UTCDateTime, utcnow
from backend.extensions import db


class AuditLogEntry(db.Model):
    """Who changed what, when: required to vouch for the quality of the database.

    ``actor`` is the name shown (an e-mail address, ``cli:<user>``); ``actor_id`` the
    staff account when a person in the console made the change.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity_type", "entity_id", "at"),
        Index("ix_audit_log_actor_id", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The shared-service grant (backend.organisations ServiceGrant) the change was made
    # under; no foreign key: the log outlives what it describes.
    grant_id: Mapped[int | None] = mapped_column(Integer, index=True)

    changes: Mapped[list[AuditFieldChange]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="AuditFieldChange.id"
    )


class AuditFieldChange(db.Model):
    """One field of one change: its value before and after (as text, None for empty)."""

    __tablename__ = "audit_field_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("audit_log.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)

    entry: Mapped[AuditLogEntry] = relationship(back_populates="changes")
