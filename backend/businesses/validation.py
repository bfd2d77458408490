"""The rules every business passes, whoever enters it: the CSV import and the console alike.

A business arrives as cells of text named like the import's columns (a CSV row, or the
fields of the console's form); :class:`BusinessRules` turns them into stored values or
says, per column, why not (in English and German). Where the business is (coordinates,
Land, near its postcode) is checked by :mod:`backend.businesses.location`. There is no
second copy of these rules: the console's operations and the import both call them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from backend.hours import HoursSyntaxError, validate_hours
from backend.imports import cells
from backend.imports.cells import FieldError
from backend.imports.report import RowError

# Columns a new business cannot do without, and how trades are written in one cell.
REQUIRED_COLUMNS = ("ref", "name", "trades", "phone")
TRADE_SEPARATOR = ";"
# Coordinates outside this box are refused: most likely lat and lon swapped or a typo.
GERMANY_BOX = (47.0, 55.2, 5.5, 15.5)  # min_lat, max_lat, min_lon, max_lon


@dataclass(frozen=True)
class NumberPolicy:
    """Which special numbers a guild lets its businesses give (both refused by default)."""

    allow_premium: bool = False
    allow_foreign: bool = False

    @classmethod
    def of(cls, guild: Any) -> NumberPolicy:
        """The policy a guild association chose (``flask guild numbers``)."""
        return cls(bool(guild.allows_premium_numbers), bool(guild.allows_foreign_numbers))


class BusinessRules:
    """Turns the cells of a row into stored values; caches what repeats across rows."""

    def __init__(
        self,
        max_radius_km: float,
        trades: Mapping[str, int],
        numbers: NumberPolicy = NumberPolicy(),
    ) -> None:
        self.max_radius_km = max_radius_km
        self.trades = trades
        self.hours_errors: dict[str, HoursSyntaxError | None] = {}
        lat_low, lat_high, lon_low, lon_high = GERMANY_BOX
        special = {"allow_premium": numbers.allow_premium, "allow_foreign": numbers.allow_foreign}
        self.parsers: dict[str, Callable[[str], Any]] = {
            "ref": cells.text(64, required=True),
            "name": cells.text(200, required=True),
            "trades": self._trades,
            "street": cells.text(200),
            "postcode": cells.postcode,
            "city": cells.text(120),
            "lat": cells.coordinate(lat_low, lat_high, "latitude"),
            "lon": cells.coordinate(lon_low, lon_high, "longitude"),
            "phone": cells.phone(required=True, **special),
            "emergency_phone": cells.phone(**special),
            "mobile": cells.phone(mobile=True, **special),
            "email": cells.email,
            "website": cells.website,
            "service_radius_km": self._radius,
            "opening_hours": self._hours,
            "emergency_hours": self._hours,
            "accepts_new_customers": cells.boolean,
            "callout_price_eur": cells.price,
            "innungsbetrieb": cells.boolean,
            "meisterbetrieb": cells.boolean,
        }

    def _trades(self, raw: str) -> frozenset[int]:
        slugs = [part.strip().lower() for part in raw.split(TRADE_SEPARATOR)]
        slugs = [slug for slug in slugs if slug]
        if not slugs:
            raise FieldError(
                "must name at least one trade (slugs separated by ';', e.g. klempner;glaser)",
                "muss mindestens ein Gewerk nennen (durch ';' getrennt, z. B. klempner;glaser)",
            )
        unknown = [slug for slug in slugs if slug not in self.trades]
        if unknown:
            valid = ", ".join(sorted(self.trades))
            names = ", ".join(f"'{slug}'" for slug in unknown)
            raise FieldError(
                f"unknown trade {names} (valid: {valid})",
                f"unbekanntes Gewerk {names} (gültig: {valid})",
            )
        return frozenset(self.trades[slug] for slug in slugs)

    def _radius(self, raw: str) -> Any:
        if not raw:
            return cells.KEEP
        value = cells.number(raw)
        if not 0 < value <= self.max_radius_km:
            limit = f"{self.max_radius_km:g}"
            raise FieldError(
                f"must be more than 0 and at most {limit} km",
                f"muss größer als 0 und höchstens {limit} km sein",
            )
        return value

    def _hours(self, raw: str) -> str | None:
        if not raw:
            return None
        if len(raw) > 500:
            raise FieldError("is longer than 500 characters", "ist länger als 500 Zeichen")
        if raw not in self.hours_errors:
            try:
                validate_hours(raw)
                self.hours_errors[raw] = None
            except HoursSyntaxError as exc:
                self.hours_errors[raw] = exc
        error = self.hours_errors[raw]
        if error is not None:
            raise FieldError(error.message, error.message_de)
        return raw

    def parse(
        self, line: int, row: Mapping[str, Any]
    ) -> tuple[dict[str, Any], frozenset[int] | None, list[RowError]]:
        """Parse the cells present in ``row``: (values, trade ids or None, errors)."""
        values: dict[str, Any] = {}
        trade_ids = None
        errors = []
        for column, parse in self.parsers.items():
            if column not in row:
                if column in REQUIRED_COLUMNS:
                    errors.append(RowError(line, column, None, "is missing", "fehlt"))
                continue
            raw = cells.cell_text(row[column])
            try:
                value = parse(raw)
            except FieldError as exc:
                errors.append(RowError(line, column, raw, exc.message, exc.message_de))
                continue
            if column == "trades":
                trade_ids = value
            elif value is not cells.KEEP:
                values[column] = value
        return values, trade_ids, errors
