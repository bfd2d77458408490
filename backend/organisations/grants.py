"""Shared service between guild associations: time-limited, revocable grants of access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from backend.audit.operations import record_change
from backend.core.types import utcnow
from backend.extensions import db
from backend.organisations.models import GuildAssociation, ServiceGrant


class GrantError(ValueError):
    """A rejected grant, with a German and an English message."""

    def __init__(self, de: str, en: str) -> None:
        super().__init__(en)
        self.de = de
        self.en = en


def create_grant(
    grantor: GuildAssociation,
    grantee: GuildAssociation,
    starts_at: datetime,
    ends_at: datetime,
    *,
    actor: str,
    note: str = "",
) -> ServiceGrant:
    """Let ``grantee``'s staff work on ``grantor``'s data from ``starts_at`` until ``ends_at``."""
    if grantor.id == grantee.id:
        raise GrantError(
            "Ein Verband kann sich nicht selbst Zugriff geben.",
            "An association cannot grant access to itself.",
        )
    if ends_at <= starts_at:
        raise GrantError(
            "Das Ende muss nach dem Beginn liegen.", "The end must lie after the start."
        )
    if ends_at <= utcnow():
        raise GrantError("Das Ende liegt in der Vergangenheit.", "The end lies in the past.")
    grant = ServiceGrant(
        grantor=grantor, grantee=grantee, starts_at=starts_at, ends_at=ends_at,
        created_by=actor, note=note.strip()[:500],
    )  # fmt: skip
    db.session.add(grant)
    db.session.flush()
    record_change(actor, "create", grant, {
        "grantor": grantor.slug, "grantee": grantee.slug,
        "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(),
    })  # fmt: skip
    return grant


def revoke_grant(grant: ServiceGrant, *, actor: str) -> None:
    """End the grant at once (its staff lose access with their next request)."""
    if grant.revoked_at is not None:
        return
    grant.revoked_at = utcnow()
    grant.revoked_by = actor
    db.session.flush()
    record_change(actor, "revoke", grant, {"grantor": grant.grantor.slug,
                                           "grantee": grant.grantee.slug})  # fmt: skip


def active_grant(
    grantor_id: int, grantee_id: int, at: datetime | None = None
) -> ServiceGrant | None:
    """The grant that lets ``grantee_id``'s staff work for ``grantor_id`` now, if any."""
    at = at or utcnow()
    return db.session.scalar(
        select(ServiceGrant)
        .where(
            ServiceGrant.grantor_guild_id == grantor_id,
            ServiceGrant.grantee_guild_id == grantee_id,
            ServiceGrant.revoked_at.is_(None),
            ServiceGrant.starts_at <= at,
            ServiceGrant.ends_at > at,
        )
        .order_by(ServiceGrant.id)
        .limit(1)
    )


def granting_guild_ids(grantee_id: int, at: datetime | None = None) -> set[int]:
    """Guilds whose data ``grantee_id``'s staff may work on now under a grant."""
    at = at or utcnow()
    return set(
        db.session.scalars(
            select(ServiceGrant.grantor_guild_id).where(
                ServiceGrant.grantee_guild_id == grantee_id,
                ServiceGrant.revoked_at.is_(None),
                ServiceGrant.starts_at <= at,
                ServiceGrant.ends_at > at,
            )
        )
    )


def grants_involving(guild: GuildAssociation) -> list[ServiceGrant]:
    """Every grant given or received by ``guild``, newest first (both sides see them)."""
    return list(
        db.session.scalars(
            select(ServiceGrant)
            .where(
                or_(
                    ServiceGrant.grantor_guild_id == guild.id,
                    ServiceGrant.grantee_guild_id == guild.id,
                )
            )
            .order_by(ServiceGrant.starts_at.desc(), ServiceGrant.id.desc())
        )
    )
