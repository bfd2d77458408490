"""Resolve where a resident is: coordinates, a postcode or a town name."""

from __future__ import annotations

from dataclasses import dataclass

from backend.geo import gazetteer as places


class LocationError(ValueError):
    """A location that cannot be resolved; names the parameter and, if ambiguous, candidates."""

    def __init__(
        self, parameter: str, message: str, candidates: list[places.Place] | None = None
    ) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.candidates = candidates or []


@dataclass(frozen=True)
class ResolvedLocation:
    """The search centre and how it was found."""

    lat: float
    lon: float
    resolved_by: str
    label: str | None
    postcode: str | None
    land: str | None


def place_label(place: places.Place) -> str:
    """Human label such as ``38820 Halberstadt``."""
    return f"{place.postcode} {place.name}" if place.postcode else place.name


def resolve_location(
    *,
    lat: float | None = None,
    lon: float | None = None,
    postcode: str | None = None,
    place: str | None = None,
) -> ResolvedLocation:
    """Resolve exactly one of coordinates, postcode or place name."""
    if lat is not None and lon is not None:
        return ResolvedLocation(lat, lon, "coordinates", None, None, None)
    if postcode is not None:
        found = places.resolve_postcode(postcode)
        if found is None:
            raise LocationError("postcode", f"Postcode {postcode} was not found in Germany.")
        return ResolvedLocation(
            found.lat, found.lon, "postcode", place_label(found), found.postcode, found.land
        )
    if place is not None:
        matches = places.find_places_by_name(place)
        if not matches:
            raise LocationError("place", f"No town called '{place}' was found in Germany.")
        if len(matches) > 1:
            raise LocationError(
                "place",
                f"'{place}' names {len(matches)} places; choose one of the candidates "
                "or give a postcode.",
                candidates=matches,
            )
        found = matches[0]
        return ResolvedLocation(
            found.lat, found.lon, "place", place_label(found), found.postcode, found.land
        )
    raise LocationError("postcode", "Give exactly one location: lat and lon, postcode, or place.")
