"""Partner cities as data: centre from a postcode or town, coverage, origins, theme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from backend.audit.operations import record_change
from backend.extensions import db
from backend.geo.gazetteer import find_places_by_name, resolve_postcode
from backend.organisations.models import PartnerCity
from backend.organisations.operations import OrganisationError, create_city
from backend.widgets.origins import OriginError, normalise_origin
from backend.widgets.theme import ThemeError
from backend.widgets.theme import check_theme as check_widget_theme

MAX_RADIUS_KM = 150.0


@dataclass(frozen=True)
class Centre:
    """A town centre and, where the gazetteer knows it, the town's population."""

    lat: float
    lon: float
    label: str
    population: int = 0


def find_centre(*, postcode: str | None = None, town: str | None = None) -> Centre:
    """The centre of a postcode or a town (most populous of that name) from the gazetteer."""
    if postcode:
        place = resolve_postcode(postcode)
        if place is None:
            raise OrganisationError(
                f"Unknown postcode '{postcode}'.", f"Unbekannte Postleitzahl „{postcode}“."
            )
        towns = find_places_by_name(place.name)
        population = towns[0].population if towns else 0
        return Centre(place.lat, place.lon, f"{place.postcode} {place.name}", population)
    if town:
        places = find_places_by_name(town)
        if not places:
            raise OrganisationError(f"Unknown town '{town}'.", f"Unbekannter Ort „{town}“.")
        place = places[0]
        return Centre(place.lat, place.lon, place.name, place.population)
    raise OrganisationError("Give a postcode, a town or the coordinates of the centre.")


def default_coverage_km(population: int) -> float:
    """The duty plan's distance by town size, as pharmacy chambers plan (DOMAIN.md).

    Over 80,000 inhabitants 10 km, 20,000-80,000 16 km, otherwise (or unknown) 25 km.
    """
    if population > 80_000:
        return 10.0
    if population >= 20_000:
        return 16.0
    return 25.0


def check_origin(origin: str) -> str:
    """A portal origin normalised by the widgets' rule (https, exact host, no path)."""
    try:
        return normalise_origin(origin)
    except OriginError as exc:
        raise OrganisationError(
            str(exc),
            f"„{origin.strip()}“ ist keine gültige Portal-Adresse "
            "(z. B. https://www.halberstadt.de, ohne Pfad).",
        ) from exc


def check_theme(theme: dict[str, str]) -> dict[str, str]:
    """Theme colours checked by the widgets' contrast rules; empty values are dropped."""
    given = {key: value.strip() for key, value in theme.items() if value and value.strip()}
    try:
        return check_widget_theme(given)
    except ThemeError as exc:
        raise OrganisationError(str(exc), exc.message_de) from exc


def check_distance(value: float, what: str) -> float:
    """A distance in km between 1 and 150."""
    if not 1 <= value <= MAX_RADIUS_KM:
        raise OrganisationError(
            f"{what} must lie between 1 and {MAX_RADIUS_KM:g} km.",
            f"Die Entfernung muss zwischen 1 und {MAX_RADIUS_KM:g} km liegen.",
        )
    return float(value)


def check_position(lat: float, lon: float) -> tuple[float, float]:
    """A centre that lies in (or right next to) Germany."""
    if not (47.2 <= lat <= 55.1 and 5.8 <= lon <= 15.1):
        raise OrganisationError(
            f"The centre {lat:.4f}, {lon:.4f} does not lie in Germany.",
            f"Die Mitte {lat:.4f}, {lon:.4f} liegt nicht in Deutschland.",
        )
    return float(lat), float(lon)


def get_city(slug: str) -> PartnerCity:
    """The partner city with this slug, or :class:`OrganisationError`."""
    city = db.session.scalar(select(PartnerCity).where(PartnerCity.slug == slug))
    if city is None:
        known = ", ".join(db.session.scalars(select(PartnerCity.slug))) or "none yet"
        raise OrganisationError(f"Unknown partner city '{slug}' (known: {known}).")
    return city


def add_city(
    slug: str,
    name: str,
    centre: Centre,
    *,
    radius_km: float = 25.0,
    coverage_km: float | None = None,
    origins: list[str] | None = None,
    theme: dict[str, str] | None = None,
    actor: str,
) -> PartnerCity:
    """Add a partner city; coverage defaults from the town's size class."""
    if db.session.scalar(select(PartnerCity).where(PartnerCity.slug == slug)):
        raise OrganisationError(
            f"A partner city with slug '{slug}' already exists.",
            f"Eine Stadt mit dem Kürzel „{slug}“ gibt es schon.",
        )
    if not name.strip():
        raise OrganisationError(
            "The name of the city must not be empty.", "Bitte einen Namen angeben."
        )
    lat, lon = check_position(centre.lat, centre.lon)
    city = create_city(
        slug, name.strip(), lat, lon,
        default_radius_km=check_distance(radius_km, "The default radius"),
        allowed_origins=[check_origin(o) for o in origins or []], actor=actor,
    )  # fmt: skip
    city.coverage_km = check_distance(
        coverage_km if coverage_km is not None else default_coverage_km(centre.population),
        "The coverage distance",
    )
    city.theme = check_theme(theme or {})
    db.session.flush()
    return city


def update_city(city: PartnerCity, *, actor: str, **changes: Any) -> dict[str, list[Any]]:
    """Change ``city``; returns and audits ``{field: [old, new]}`` of what really changed.

    Fields: name, lat, lon, default_radius_km, coverage_km, allowed_origins, theme, active.
    """
    checks = {
        "name": lambda v: v.strip() or _empty_name(),
        "lat": lambda v: check_position(v, city.lon)[0],
        "lon": lambda v: check_position(city.lat, v)[1],
        "default_radius_km": lambda v: check_distance(v, "The default radius"),
        "coverage_km": lambda v: check_distance(v, "The coverage distance"),
        "allowed_origins": lambda v: sorted({check_origin(o) for o in v}),
        "theme": check_theme,
        "active": bool,
    }
    changed: dict[str, list[Any]] = {}
    for field, value in changes.items():
        if field not in checks:
            raise OrganisationError(f"Unknown city field '{field}'.")
        if value is None:
            continue
        new = checks[field](value)
        old = getattr(city, field)
        if new != old:
            changed[field] = [old, new]
            setattr(city, field, new)
    if changed:
        db.session.flush()
        record_change(actor, "update", city, changed)
    return changed


def _empty_name() -> str:
    raise OrganisationError("The name of the city must not be empty.", "Bitte einen Namen angeben.")
