"""Parsing roster rows (``ref,trade,start,end``) into shifts of the guild's businesses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from backend.businesses.refs import ref_key
from backend.imports.cells import FieldError, cell_text
from backend.imports.csv_read import check_header
from backend.imports.report import RowError

COLUMNS = ("ref", "trade", "start", "end")
# A longer shift is almost certainly a typo in the year or month.
MAX_SHIFT = timedelta(days=14)


@dataclass(slots=True)
class Shift:
    """A valid row: one business on duty for one trade from ``starts_at`` to ``ends_at``."""

    line: int
    business_id: int
    trade_id: int
    starts_at: datetime
    ends_at: datetime

    @property
    def key(self) -> tuple[int, int, datetime]:
        """What tells shifts apart: business, trade and start."""
        return (self.business_id, self.trade_id, self.starts_at)


def header_errors(header: Iterable[str]) -> list[RowError]:
    """Errors (on line 1) for unknown, repeated and missing columns: all four are required."""
    return check_header(list(header), COLUMNS, COLUMNS)


def instant(raw: str) -> datetime:
    """An ISO 8601 date-time with a UTC offset, or FieldError with an English/German reason."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise FieldError(
            f"'{raw}' is not an ISO 8601 date-time (e.g. 2026-12-24T18:00:00+01:00)",
            f"„{raw}“ ist kein Zeitpunkt nach ISO 8601 (z. B. 2026-12-24T18:00:00+01:00)",
        ) from None
    if value.tzinfo is None:
        raise FieldError(
            f"'{raw}' has no UTC offset; add it, e.g. +01:00 in winter or +02:00 in summer",
            f"„{raw}“ fehlt der UTC-Versatz; bitte ergänzen, z. B. +01:00 im Winter oder "
            "+02:00 im Sommer",
        )
    return value


def _duration(length: timedelta, *, de: bool = False) -> str:
    hours = round(length.total_seconds() / 3600)
    days, hours = divmod(hours, 24)
    if de:
        return f"{days} Tage {hours} Stunden"
    return f"{days} days {hours} hours"


def _length_error(length: timedelta) -> FieldError | None:
    """Why a shift of this length is refused, if it is."""
    if length <= timedelta(0):
        return FieldError("must be after start", "muss nach dem Beginn liegen")
    if length > MAX_SHIFT:
        return FieldError(
            f"the shift would last {_duration(length)}, longer than "
            f"{MAX_SHIFT.days} days: probably a typo",
            f"die Schicht dauerte {_duration(length, de=True)}, länger als "
            f"{MAX_SHIFT.days} Tage: vermutlich ein Tippfehler",
        )
    return None


class RosterRowParser:
    """Checks rows against the guild's businesses (by :func:`ref_key`), the trades and links."""

    def __init__(
        self, businesses: Mapping[str, int], trades: Mapping[str, int], links: set[tuple[int, int]]
    ) -> None:
        self.businesses = businesses
        self.trades = trades
        self.links = links

    def parse(self, line: int, row: Mapping[str, Any]) -> tuple[Shift | None, list[RowError]]:
        """The shift of a row, or None and every error of the row."""
        cells = {column: cell_text(row.get(column)) for column in COLUMNS}
        errors = [
            RowError(line, column, "", "must not be empty", "darf nicht leer sein")
            for column in COLUMNS
            if not cells[column]
        ]

        def fail(column: str, error: FieldError) -> None:
            errors.append(RowError(line, column, cells[column], error.message, error.message_de))

        business_id, trade_id = self._business_and_trade(cells, fail)
        times: dict[str, datetime] = {}
        for column in ("start", "end"):
            if cells[column]:
                try:
                    times[column] = instant(cells[column])
                except FieldError as exc:
                    fail(column, exc)
        if len(times) == 2 and (error := _length_error(times["end"] - times["start"])):
            fail("end", error)
        if errors:
            return None, errors
        assert business_id is not None and trade_id is not None
        return Shift(line, business_id, trade_id, times["start"], times["end"]), []

    def _business_and_trade(
        self, cells: dict[str, str], fail: Callable[[str, FieldError], None]
    ) -> tuple[int | None, int | None]:
        """Ids of the row's business and trade; ``fail(column, error)`` for what is wrong."""
        ref, slug = cells["ref"], cells["trade"].lower()
        business_id = self.businesses.get(ref_key(ref))
        if ref and business_id is None:
            fail(
                "ref",
                FieldError(
                    f"no business with ref '{ref}' in this guild (import the businesses first)",
                    f"kein Betrieb mit ref „{ref}“ in dieser Innung "
                    "(zuerst die Betriebe importieren)",
                ),
            )
        trade_id = self.trades.get(slug)
        if slug and trade_id is None:
            valid = ", ".join(sorted(self.trades))
            fail(
                "trade",
                FieldError(
                    f"unknown trade '{slug}' (valid: {valid})",
                    f"unbekanntes Gewerk „{slug}“ (gültig: {valid})",
                ),
            )
        elif business_id is not None and (business_id, trade_id) not in self.links:
            fail(
                "trade",
                FieldError(
                    f"business '{ref}' does not have the trade '{slug}'",
                    f"der Betrieb „{ref}“ hat das Gewerk „{slug}“ nicht",
                ),
            )
        return business_id, trade_id
