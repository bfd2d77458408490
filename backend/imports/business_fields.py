"""The columns of a business import file, the stored fields they fill, and the row records.

``COLUMNS`` is the file format (and the export's column order); ``FIELDS`` are the stored
columns an import writes besides the trade links: every column but ``trades``, plus the
``land`` derived from the postcode.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from backend.businesses.models import Business
from backend.businesses.validation import REQUIRED_COLUMNS
from backend.imports.csv_read import check_header
from backend.imports.report import RowError

COLUMNS = (
    "ref",
    "name",
    "trades",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "phone",
    "emergency_phone",
    "mobile",
    "email",
    "website",
    "service_radius_km",
    "opening_hours",
    "emergency_hours",
    "accepts_new_customers",
    "callout_price_eur",
    "innungsbetrieb",
    "meisterbetrieb",
)
FIELDS = (*(name for name in COLUMNS if name != "trades"), "land")


@dataclass(slots=True)
class StoredBusiness:
    """A business as it is in the database, reduced to what an import compares."""

    id: int
    version: int
    values: dict[str, Any]
    trade_ids: frozenset[int]


@dataclass(slots=True)
class BusinessRow:
    """A validated row, merged with the stored business it updates (if any)."""

    line: int
    values: dict[str, Any]
    trade_ids: frozenset[int]
    stored: StoredBusiness | None

    @property
    def changed(self) -> bool:
        """Whether writing the row would change its stored business (always, for a new one)."""
        return (
            self.stored is None
            or self.values != self.stored.values
            or self.trade_ids != self.stored.trade_ids
        )


def defaults() -> dict[str, Any]:
    """Values of a new business for columns the file leaves out (the model's defaults)."""
    table = Business.__table__
    values: dict[str, Any] = dict.fromkeys(FIELDS)
    for name in FIELDS:
        default = table.c[name].default
        if default is not None and default.is_scalar:
            values[name] = default.arg
    return values


def header_errors(header: Iterable[str]) -> list[RowError]:
    """Errors (on line 1) for unknown, repeated and missing columns, and no location column."""
    header = list(header)
    errors = check_header(header, COLUMNS, REQUIRED_COLUMNS)
    if "postcode" not in header and not ("lat" in header and "lon" in header):
        errors.append(
            RowError(
                1,
                "postcode",
                None,
                "a postcode column or lat and lon columns are required",
                "eine Spalte postcode oder die Spalten lat und lon sind erforderlich",
            )
        )
    return errors
