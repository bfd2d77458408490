"""Guild associations, partner cities and staff users."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.core.types import UTCDateTime, utcnow
from backend.extensions import db

STAFF_ROLES = ("admin", "guild_staff", "city_editor")


class GuildAssociation(db.Model):
    """A Kreishandwerkerschaft (or another guild body) that maintains businesses."""

    __tablename__ = "guild_associations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<GuildAssociation {self.slug}>"


class PartnerCity(db.Model):
    """A town whose portal embeds the listings; added as data, never as code."""

    __tablename__ = "partner_cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    default_radius_km: Mapped[float] = mapped_column(Float, default=25.0)
    # The duty plan's distance rule: a duty business must be within this of the centre.
    coverage_km: Mapped[float] = mapped_column(Float, default=25.0, server_default="25")
    # Exact origins such as "https://www.halberstadt.de" allowed to frame the widgets.
    allowed_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    theme: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<PartnerCity {self.slug}>"


class StaffUser(db.Model):
    """A person who maintains data: admin, guild staff (per guild) or city editor (per city)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    guild_id: Mapped[int | None] = mapped_column(ForeignKey("guild_associations.id"))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("partner_cities.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    guild: Mapped[GuildAssociation | None] = relationship()
    city: Mapped[PartnerCity | None] = relationship()

    def __repr__(self) -> str:
        return f"<StaffUser {self.email} {self.role}>"
