"""Guild associations, partner cities and staff accounts."""

from __future__ import annotations

import re

from sqlalchemy import select

from backend.audit.operations import record_change
from backend.extensions import db
from backend.organisations.models import STAFF_ROLES, GuildAssociation, PartnerCity, StaffUser
from backend.organisations.passwords import hash_password, one_time_password

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class OrganisationError(ValueError):
    """Invalid or conflicting organisation data, with a message for the operator."""


def _check_slug(slug: str) -> None:
    if not SLUG_PATTERN.fullmatch(slug) or len(slug) > 64:
        raise OrganisationError(
            f"Invalid slug '{slug}': use lower-case letters, digits and single hyphens "
            "(at most 64 characters), e.g. 'harz-bode'."
        )


def create_guild(slug: str, name: str, *, actor: str) -> GuildAssociation:
    """Create a guild association; the slug must be new."""
    _check_slug(slug)
    if not name.strip():
        raise OrganisationError("The name of the guild association must not be empty.")
    if db.session.scalar(select(GuildAssociation).where(GuildAssociation.slug == slug)):
        raise OrganisationError(f"A guild association with slug '{slug}' already exists.")
    guild = GuildAssociation(slug=slug, name=name.strip())
    db.session.add(guild)
    db.session.flush()
    record_change(actor, "create", guild, {"name": guild.name})
    db.session.commit()
    return guild


def get_guild(slug: str) -> GuildAssociation:
    """The guild association with this slug, or :class:`OrganisationError`."""
    guild = db.session.scalar(select(GuildAssociation).where(GuildAssociation.slug == slug))
    if guild is None:
        known = ", ".join(db.session.scalars(select(GuildAssociation.slug))) or "none yet"
        raise OrganisationError(f"Unknown guild association '{slug}' (known: {known}).")
    return guild


def create_city(
    slug: str,
    name: str,
    lat: float,
    lon: float,
    *,
    default_radius_km: float = 25.0,
    allowed_origins: list[str] | None = None,
    actor: str,
) -> PartnerCity:
    """Register a partner city whose portal may embed the listings."""
    _check_slug(slug)
    city = PartnerCity(
        slug=slug,
        name=name,
        lat=lat,
        lon=lon,
        default_radius_km=default_radius_km,
        allowed_origins=allowed_origins or [],
        theme={},
    )
    db.session.add(city)
    db.session.flush()
    record_change(actor, "create", city, {"name": name})
    return city


def create_staff_user(
    email: str,
    display_name: str,
    role: str,
    *,
    guild: GuildAssociation | None = None,
    city: PartnerCity | None = None,
    actor: str,
) -> tuple[StaffUser, str]:
    """Create a staff account with a one-time password; returns the user and the password.

    The password is to be shown once; the first sign-in replaces it (and enrols TOTP for
    the roles that need it).
    """
    if role not in STAFF_ROLES:
        raise OrganisationError(f"Unknown role '{role}' (valid: {', '.join(STAFF_ROLES)}).")
    if role == "guild_staff" and guild is None:
        raise OrganisationError("Guild staff must belong to a guild association.")
    if role == "city_editor" and city is None:
        raise OrganisationError("A city editor must belong to a partner city.")
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise OrganisationError(f"'{email}' is not an e-mail address.")
    if db.session.scalar(select(StaffUser).where(StaffUser.email == email)):
        raise OrganisationError(f"A staff account for '{email}' already exists.")
    password = one_time_password()
    user = StaffUser(
        email=email,
        display_name=display_name,
        role=role,
        # Only the organisation the role works for is kept.
        guild=guild if role == "guild_staff" else None,
        city=city if role == "city_editor" else None,
        password_hash=hash_password(password),
        must_change_password=True,
    )
    db.session.add(user)
    db.session.flush()
    record_change(actor, "create", user, {"role": role})
    return user, password
