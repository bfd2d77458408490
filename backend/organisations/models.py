"""Guild associations, partner cities, staff users, their sessions and shared-service grants."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.core.types import UTCDateTime, utcnow
from backend.extensions import db

STAFF_ROLES = ("admin", "guild_staff", "city_editor")
# Roles that must sign in with a second factor (ASVS 4.3.1); city editors may.
TOTP_REQUIRED_ROLES = ("admin", "guild_staff")


class GuildAssociation(db.Model):
    """A Kreishandwerkerschaft (or another guild body) that maintains businesses."""

    __tablename__ = "guild_associations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The guild's choice: its hard-to-reach businesses (backend.calls.reachability) are
    # listed after the others in every channel's search.
    demote_unreachable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Numbers its businesses may give that residents are otherwise protected from
    # (backend.businesses.phones.business_phone): premium-rate/shared-cost, foreign.
    allows_premium_numbers: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    allows_foreign_numbers: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

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


class StaffUser(UserMixin, db.Model):
    """A person who maintains data: admin, guild staff (per guild) or city editor (per city)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    # argon2id (backend.organisations.passwords); empty until an invited person sets one.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    guild_id: Mapped[int | None] = mapped_column(ForeignKey("guild_associations.id"))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("partner_cities.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A one-time password (CLI, seed-demo) must be replaced at the first sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The last accepted TOTP time step: a code is never accepted twice (ASVS 2.8.4).
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # SHA-256 of each unused recovery code (random, high entropy: a fast hash suffices).
    recovery_code_hashes: Mapped[list[str]] = mapped_column(JSON, default=list)

    guild: Mapped[GuildAssociation | None] = relationship()
    city: Mapped[PartnerCity | None] = relationship()

    @property
    def is_active(self) -> bool:
        """Flask-Login: a deactivated account cannot sign in."""
        return self.active

    @property
    def totp_required(self) -> bool:
        """Whether this role must sign in with a second factor."""
        return self.role in TOTP_REQUIRED_ROLES

    def __repr__(self) -> str:
        return f"<StaffUser {self.email} {self.role}>"


class StaffSession(db.Model):
    """A signed-in browser: the cookie holds a random token, the table its SHA-256."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[StaffUser] = relationship()


class ServiceGrant(db.Model):
    """Shared service: the grantor guild lets the grantee guild's staff work on its data."""

    __tablename__ = "service_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    grantor_guild_id: Mapped[int] = mapped_column(ForeignKey("guild_associations.id"), index=True)
    grantee_guild_id: Mapped[int] = mapped_column(ForeignKey("guild_associations.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(254))
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(500), default="")

    grantor: Mapped[GuildAssociation] = relationship(foreign_keys=[grantor_guild_id])
    grantee: Mapped[GuildAssociation] = relationship(foreign_keys=[grantee_guild_id])

    def is_active(self, at: datetime) -> bool:
        """Whether the grant allows work at ``at`` (not revoked, inside its period)."""
        return self.revoked_at is None and self.starts_at <= at < self.ends_at
