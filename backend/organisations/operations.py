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
    """Invalid or conflicting organisation data, with a message for the operator.

    ``str(exc)`` is English (the CLI); ``exc.de`` the German text for the console.
    """

    def __init__(self, en: str, de: str | None = None) -> None:
        super().__init__(en)
        self.de = de or en


def _check_slug(slug: str) -> None:
    if not SLUG_PATTERN.fullmatch(slug) or len(slug) > 64:
        raise OrganisationError(
            f"Invalid slug '{slug}': use lower-case letters, digits and single hyphens "
            "(at most 64 characters), e.g. 'harz-bode'.",
            f"Ungültiges Kürzel „{slug}“: nur Kleinbuchstaben, Ziffern und einzelne "
            "Bindestriche (höchstens 64 Zeichen), z. B. „harz-bode“.",
        )


def create_guild(slug: str, name: str, *, actor: str) -> GuildAssociation:
    """Create a guild association and commit (the CLI's unit of work); see :func:`add_guild`."""
    guild = add_guild(slug, name, actor=actor)
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


def invite_staff_user(
    email: str,
    display_name: str,
    role: str,
    *,
    guild: GuildAssociation | None = None,
    city: PartnerCity | None = None,
    actor: str,
) -> StaffUser:
    """An account without a password yet: the invitation link lets the person set one."""
    user, _ = create_staff_user(email, display_name, role, guild=guild, city=city, actor=actor)
    user.password_hash = ""  # no password works until the invitation is accepted
    user.must_change_password = False
    db.session.flush()
    return user


def rename_guild(guild: GuildAssociation, name: str, *, actor: str) -> bool:
    """Change the display name; returns whether it changed (audited)."""
    name = name.strip()
    if not name:
        raise OrganisationError(
            "The name of the guild association must not be empty.", "Bitte einen Namen angeben."
        )
    if name == guild.name:
        return False
    record_change(actor, "update", guild, {"name": [guild.name, name]})
    guild.name = name
    db.session.flush()
    return True


def add_guild(slug: str, name: str, *, actor: str) -> GuildAssociation:
    """Create a guild association within the caller's unit of work (no commit)."""
    _check_slug(slug)
    if not name.strip():
        raise OrganisationError(
            "The name of the guild association must not be empty.", "Bitte einen Namen angeben."
        )
    if db.session.scalar(select(GuildAssociation).where(GuildAssociation.slug == slug)):
        raise OrganisationError(
            f"A guild association with slug '{slug}' already exists.",
            f"Einen Verband mit dem Kürzel „{slug}“ gibt es schon.",
        )
    guild = GuildAssociation(slug=slug, name=name.strip())
    db.session.add(guild)
    db.session.flush()
    record_change(actor, "create", guild, {"name": guild.name})
    return guild
