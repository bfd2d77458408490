"""Who may do what in the console: the one place every console page asks.

- ``@requires()`` (any signed-in person) or ``@requires("admin", "guild_staff")``: the
  view runs only for a completely signed-in person (password, second factor, first-run
  set-up done) with one of these roles; anonymous visitors go to the sign-in page,
  other roles get 403.
- ``may_edit_guild`` / ``may_read_guild`` / ``may_edit_city`` / ``may_read_city``: the
  rules for data of one guild association or partner city.
  admin: everything. guild_staff: their own guild and guilds that granted theirs
  access (shared service). city_editor: their own city; read-only elsewhere.
- ``require_guild(guild, write=True)`` aborts with 403 unless allowed and returns the
  grant used (or None): pass ``grant_id=grant.id if grant else None`` to
  ``record_change`` so the audit log says the change was made under a grant.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user

from backend.organisations.grants import active_grant, granting_guild_ids
from backend.organisations.models import (
    STAFF_ROLES,
    GuildAssociation,
    PartnerCity,
    ServiceGrant,
    StaffUser,
)

GuildRef = GuildAssociation | int
CityRef = PartnerCity | int


def _id(ref: GuildRef | CityRef | None) -> int | None:
    return ref if isinstance(ref, int) or ref is None else ref.id


def staff() -> StaffUser | None:
    """The signed-in staff user of this request, or None."""
    return current_user if current_user.is_authenticated else None


def setup_endpoint(user: StaffUser) -> str | None:
    """The first-run page the user must complete before anything else, if any."""
    if user.must_change_password:
        return "console.change_password"
    if user.totp_required and not user.totp_enabled:
        return "console.enrol_totp"
    return None


def requires(*roles: str) -> Callable:
    """Decorator: only completely signed-in staff with one of ``roles`` (none: any role)."""
    unknown = set(roles) - set(STAFF_ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            user = staff()
            if user is None:
                return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
            pending = setup_endpoint(user)
            if pending:
                return redirect(url_for(pending))
            if roles and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapper.console_roles = roles  # read by the authorization matrix test
        return wrapper

    return decorate


def writable_guild_ids(user: StaffUser) -> set[int] | None:
    """Guilds whose data ``user`` may change; None means all (admin)."""
    if user.role == "admin":
        return None
    if user.role == "guild_staff" and user.guild_id is not None:
        return {user.guild_id} | granting_guild_ids(user.guild_id)
    return set()


def may_edit_guild(user: StaffUser, guild: GuildRef) -> bool:
    """Whether ``user`` may change data of ``guild`` (own guild, admin or an active grant)."""
    ids = writable_guild_ids(user)
    return ids is None or _id(guild) in ids


def may_read_guild(user: StaffUser, guild: GuildRef) -> bool:
    """Whether ``user`` may see data of ``guild``: editors too, city editors read-only."""
    return user.role == "city_editor" or may_edit_guild(user, guild)


def acting_grant(user: StaffUser, guild: GuildRef) -> ServiceGrant | None:
    """The grant under which ``user`` works on ``guild``'s data; None for own data."""
    if user.role != "guild_staff" or user.guild_id is None or user.guild_id == _id(guild):
        return None
    return active_grant(_id(guild), user.guild_id)


def require_guild(guild: GuildRef, *, write: bool = True) -> ServiceGrant | None:
    """Abort with 403 unless the signed-in user may (change or read) ``guild``'s data.

    Returns the grant the access rests on (None for own data or an admin).
    """
    user = staff()
    if user is None:
        abort(401)
    allowed = may_edit_guild(user, guild) if write else may_read_guild(user, guild)
    if not allowed:
        abort(403)
    return acting_grant(user, guild)


def may_edit_city(user: StaffUser, city: CityRef) -> bool:
    """Whether ``user`` may change ``city``'s settings (admin, or its own city editor)."""
    return user.role == "admin" or (user.role == "city_editor" and user.city_id == _id(city))


def may_read_city(user: StaffUser, city: CityRef) -> bool:
    """Whether ``user`` may see ``city``'s settings (every staff role reads them)."""
    return user.role in STAFF_ROLES


def require_city(city: CityRef, *, write: bool = True) -> None:
    """Abort with 403 unless the signed-in user may (change or read) ``city``'s settings."""
    user = staff()
    if user is None:
        abort(401)
    if not (may_edit_city(user, city) if write else may_read_city(user, city)):
        abort(403)


def may_manage_guild(user: StaffUser, guild: GuildRef) -> bool:
    """Whether ``user`` manages ``guild`` itself (its staff, its grants): admin or own staff.

    A grant lets staff of another guild work on the data, never manage the guild.
    """
    return user.role == "admin" or (user.role == "guild_staff" and user.guild_id == _id(guild))
