"""Where a business is: its coordinates and its Land (the import's and the console's rule).

Coordinates given in the row win, but must lie in Germany (its outline, not a rectangle)
and near the postcode's locality; empty ones
are found from the address; a row without lat/lon columns keeps the stored coordinates
unless the address changed. The Land always comes from the postcode, or from the
gazetteer postcode nearest the coordinates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app, has_app_context

from backend.geo.border import in_germany
from backend.geo.distance import great_circle_km
from backend.geo.gazetteer import land_for_postcode, nearest_postcode, resolve_postcode
from backend.geo.geocoding import MAX_DISTANCE_FROM_POSTCODE_KM, Location, PlaceNotFound
from backend.imports.report import RowError

ADDRESS_FIELDS = ("street", "postcode", "city")


class _Unlocated(Exception):
    """A row whose place cannot be told: the column to blame and why (English, German)."""

    def __init__(self, column: str, value: str | None, message: str, message_de: str) -> None:
        super().__init__(message)
        self.column, self.value = column, value
        self.message, self.message_de = message, message_de


class BusinessLocator:
    """Fills coordinates and Land of merged rows; caches lookups that repeat across rows."""

    def __init__(self, locate_address: Callable[..., Location]) -> None:
        self.locate_address = locate_address
        self.lands: dict[str, str | None] = {}
        self.locations: dict[tuple[str | None, ...], tuple[float, float] | PlaceNotFound] = {}
        self.nearest_lands: dict[tuple[float, float], str] = {}

    def locate(
        self,
        line: int,
        row: Mapping[str, Any],
        record: dict[str, Any],
        stored: Mapping[str, Any] | None,
    ) -> list[RowError]:
        """Fill lat, lon and land of ``record`` (merged row) in place; errors if impossible.

        ``stored`` holds the stored values of the business the row updates (None: new).
        """
        try:
            needs_lookup = _needs_lookup(row, record, stored)
            postcode = record["postcode"]
            if postcode is None and needs_lookup:
                raise _Unlocated(
                    "postcode",
                    "",
                    "a postcode or lat and lon are required",
                    "Postleitzahl oder lat und lon sind erforderlich",
                )
            land = self._land_of_postcode(postcode) if postcode is not None else None
            if needs_lookup:
                record["lat"], record["lon"] = self._coordinates(record)
            else:
                _check_in_germany(record["lat"], record["lon"])
                if postcode is not None:
                    _check_near_postcode(record["lat"], record["lon"], postcode)
        except _Unlocated as exc:
            return [RowError(line, exc.column, exc.value, exc.message, exc.message_de)]
        if postcode is None:
            land = self._nearest_land((record["lat"], record["lon"]))
        record["land"] = land
        return []

    def _land_of_postcode(self, postcode: str) -> str:
        if postcode not in self.lands:
            self.lands[postcode] = land_for_postcode(postcode)
        land = self.lands[postcode]
        if land is None:
            raise _Unlocated(
                "postcode",
                postcode,
                f"unknown postcode {postcode}",
                f"unbekannte Postleitzahl {postcode}",
            )
        return land

    def _coordinates(self, record: dict[str, Any]) -> tuple[float, float]:
        key = (record["street"], record["postcode"], record["city"])
        if key not in self.locations:
            try:
                found = self.locate_address(*key)
                self.locations[key] = (found.lat, found.lon)
            except PlaceNotFound as exc:
                self.locations[key] = exc
        location = self.locations[key]
        if isinstance(location, PlaceNotFound):
            raise _Unlocated(
                "postcode",
                record["postcode"],
                f"the address cannot be located: {location}",
                f"die Adresse wurde nicht gefunden: {location}",
            )
        return location

    def _nearest_land(self, point: tuple[float, float]) -> str:
        if point not in self.nearest_lands:
            self.nearest_lands[point] = nearest_postcode(*point).land
        return self.nearest_lands[point]


def _needs_lookup(
    row: Mapping[str, Any], record: dict[str, Any], stored: Mapping[str, Any] | None
) -> bool:
    """Whether the coordinates must be found from the address (or say why they cannot)."""
    lat, lon = record["lat"], record["lon"]
    if (lat is None) != (lon is None):
        raise _Unlocated(
            "lon" if lon is None else "lat",
            "",
            "lat and lon must both be given or both be empty",
            "lat und lon müssen beide angegeben oder beide leer sein",
        )
    if "lat" in row or "lon" in row:
        return lat is None
    if stored is None:
        return True
    return any(record[name] != stored[name] for name in ADDRESS_FIELDS)


def postcode_reach_km() -> float:
    """How far given coordinates may lie from their postcode's locality (configurable).

    ``MAX_DISTANCE_FROM_POSTCODE_KM`` of the running app, else the geocoder's default.
    """
    if has_app_context():
        return float(
            current_app.config.get("MAX_DISTANCE_FROM_POSTCODE_KM", MAX_DISTANCE_FROM_POSTCODE_KM)
        )
    return MAX_DISTANCE_FROM_POSTCODE_KM


def _check_in_germany(lat: float, lon: float) -> None:
    """Refuse a position outside Germany's outline (Prague, the North Sea): a typo, or swapped."""
    if not in_germany(lat, lon):
        raise _Unlocated(
            "lat",
            f"{lat:g}",
            f"the position {lat:g}, {lon:g} lies outside Germany (lat and lon swapped?)",
            f"die Position {lat:g}, {lon:g} liegt außerhalb Deutschlands (lat und lon vertauscht?)",
        )


def _check_near_postcode(lat: float, lon: float, postcode: str) -> None:
    """Refuse coordinates far from the postcode's locality: a typo or another town's street."""
    place = resolve_postcode(postcode)
    if place is None:
        return  # unknown postcodes are refused before this
    distance = great_circle_km(lat, lon, place.lat, place.lon)
    reach = postcode_reach_km()
    if distance > reach:
        limit = f"{reach:g}"
        raise _Unlocated(
            "lat",
            f"{lat:g}",
            f"the position lies {distance:.0f} km from postcode {postcode} "
            f"(at most {limit} km; wrong postcode or coordinates?)",
            f"die Position liegt {distance:.0f} km von der Postleitzahl {postcode} entfernt "
            f"(höchstens {limit} km; Postleitzahl oder Koordinaten falsch?)",
        )
