"""Widget settings of a partner city: the origins that may frame it and its theme.

Called by the CLI (``flask city allow-origin``) and the console's city settings alike;
they flush and record an audit entry, the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from backend.audit.operations import record_change
from backend.extensions import db
from backend.organisations.models import PartnerCity
from backend.widgets.origins import OriginError, normalise_origin
from backend.widgets.theme import check_theme

__all__ = [
    "OriginError",
    "allow_origin",
    "disallow_origin",
    "find_city",
    "save_theme",
]


class UnknownCity(LookupError):
    """No partner city has this slug."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"Unknown partner city '{slug}'.")
        self.slug = slug


def find_city(slug: str, *, active_only: bool = True) -> PartnerCity:
    """The partner city with this slug, or :class:`UnknownCity`."""
    statement = select(PartnerCity).where(PartnerCity.slug == slug)
    if active_only:
        statement = statement.where(PartnerCity.active.is_(True))
    city = db.session.scalar(statement)
    if city is None:
        raise UnknownCity(slug)
    return city


def allow_origin(city: PartnerCity, raw_origin: str, *, actor: str) -> tuple[str, bool]:
    """Register an origin for ``city``; returns it normalised and whether it was new."""
    origin = normalise_origin(raw_origin)
    current = list(city.allowed_origins or [])
    if origin in current:
        return origin, False
    # A new list (not an in-place append) so that the JSON column sees the change.
    city.allowed_origins = [*current, origin]
    db.session.flush()
    record_change(actor, "allow_origin", city, {"origin": origin})
    return origin, True


def disallow_origin(city: PartnerCity, raw_origin: str, *, actor: str) -> tuple[str, bool]:
    """Remove an origin of ``city``; returns it normalised and whether it was registered."""
    try:
        origin = normalise_origin(raw_origin)
    except OriginError:
        origin = raw_origin.strip()  # an old, malformed entry must still be removable
    current = list(city.allowed_origins or [])
    if origin not in current:
        return origin, False
    city.allowed_origins = [o for o in current if o != origin]
    db.session.flush()
    record_change(actor, "disallow_origin", city, {"origin": origin})
    return origin, True


def save_theme(city: PartnerCity, colours: Mapping[str, str], *, actor: str) -> PartnerCity:
    """Replace the theme of ``city`` after the contrast check (:class:`ThemeError` if not met).

    ``colours`` holds only the keys the city sets; the others keep their defaults.
    """
    cleaned = check_theme(colours)
    city.theme = cleaned
    db.session.flush()
    record_change(actor, "save_theme", city, {"theme": cleaned})
    return city
