"""Import and export of a guild's businesses as CSV.

Columns: see :data:`COLUMNS`. Only ``ref``, ``name``, ``trades``, ``phone`` and either a
``postcode`` or ``lat``/``lon`` are required. A column missing from the file keeps the
stored value (or the model default for a new business); a present but empty cell clears an
optional field. Fields that cannot be empty (``service_radius_km``) treat an empty cell like
a missing column; yes/no fields read an empty cell as "no".

Empty ``lat``/``lon`` are found from the address (street-level with a configured geocoder,
else the postcode from the offline gazetteer). The Land always comes from the postcode, or
from the gazetteer postcode nearest the coordinates when a business has none. A four-digit
postcode is a spreadsheet's doing (leading zero dropped) and gets its zero back.

Re-importing updates businesses by ``ref`` (unique per guild); a row equal to the stored
business is counted as unchanged and not written, so neither its ``version`` nor its
``updated_at`` moves. Businesses not in the file are left alone.

The whole file is validated in Python first; then everything is written with a few bulk
Core statements in one transaction, or nothing is written at all.

An import owns the session's transaction: it commits what it wrote, and rolls back when it
writes nothing (dry run, bad rows) or fails, so call it with no other changes pending.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from itertools import chain
from typing import IO, Any
from urllib.parse import urlsplit

from sqlalchemy import bindparam, delete, insert, select, update

from backend.extensions import db
from backend.models import Business, BusinessTrade, GuildAssociation, Trade
from backend.models.types import utcnow
from backend.services.audit import record_change
from backend.services.csv_io import (
    ImportReport,
    RowError,
    check_header,
    numbered,
    read_csv,
    write_csv,
)
from backend.services.geocoding import Location, PlaceNotFound, locate_address
from backend.services.hours import HoursSyntaxError, validate_hours
from backend.services.organisations import get_guild
from backend.services.phones import PhoneNumberError, normalise_phone
from backend.services.places import land_for_postcode, nearest_postcode
from backend.services.reference import trades_by_slug

__all__ = [
    "COLUMNS",
    "ImportConflict",
    "ImportReport",
    "RowError",
    "export_businesses_csv",
    "import_businesses",
    "import_businesses_csv",
]

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
REQUIRED_COLUMNS = ("ref", "name", "trades", "phone")
TRADE_SEPARATOR = ";"

# Stored columns filled from the file (besides trades); land is derived from the postcode.
FIELDS = (
    "ref",
    "name",
    "street",
    "postcode",
    "city",
    "land",
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
ADDRESS_FIELDS = ("street", "postcode", "city")
# Coordinates outside this box are refused: most likely lat and lon swapped or a typo.
GERMANY_BOX = (47.0, 55.2, 5.5, 15.5)  # min_lat, max_lat, min_lon, max_lon
MAX_PRICE = Decimal("999999.99")
WRITE_BATCH = 5000  # rows per executemany

_TRUE = frozenset({"ja", "j", "yes", "y", "true", "wahr", "1", "x"})
_FALSE = frozenset({"nein", "n", "no", "false", "falsch", "0", ""})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_KEEP = object()  # a parser's answer for "empty cell: keep the stored value"


class ImportConflict(RuntimeError):
    """Businesses changed in the database while the import ran; nothing was written."""


class _FieldError(ValueError):
    def __init__(self, message: str, message_de: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_de = message_de


@dataclass(slots=True)
class _Stored:
    """A business as it is in the database, reduced to what an import compares."""

    id: int
    version: int
    values: dict[str, Any]
    trade_ids: frozenset[int]


@dataclass(slots=True)
class _Row:
    """A validated row, merged with the stored business it updates (if any)."""

    line: int
    values: dict[str, Any]
    trade_ids: frozenset[int]
    stored: _Stored | None


def _defaults() -> dict[str, Any]:
    """Values of a new business for columns the file leaves out (the model's defaults)."""
    table = Business.__table__
    values: dict[str, Any] = dict.fromkeys(FIELDS)
    for name in FIELDS:
        default = table.c[name].default
        if default is not None and default.is_scalar:
            values[name] = default.arg
    return values


# --- value parsers: raw (stripped) cell -> stored value, or _FieldError -------------------


def _text(max_length: int, *, required: bool = False) -> Callable[[str], str | None]:
    def parse(raw: str) -> str | None:
        if not raw:
            if required:
                raise _FieldError("must not be empty", "darf nicht leer sein")
            return None
        if len(raw) > max_length:
            raise _FieldError(
                f"is longer than {max_length} characters", f"ist länger als {max_length} Zeichen"
            )
        return raw

    return parse


def _number(raw: str) -> float:
    """A decimal number written with a point or a German decimal comma."""
    text = raw.replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise _FieldError(f"'{raw}' is not a number", f"„{raw}“ ist keine Zahl") from None
    if not math.isfinite(value):
        raise _FieldError(f"'{raw}' is not a number", f"„{raw}“ ist keine Zahl")
    return value


def _coordinate(low: float, high: float, name: str) -> Callable[[str], float | None]:
    def parse(raw: str) -> float | None:
        if not raw:
            return None
        value = _number(raw)
        if not low <= value <= high:
            raise _FieldError(
                f"{name} {raw} lies outside Germany ({low} to {high}; lat and lon swapped?)",
                f"{name} {raw} liegt außerhalb Deutschlands ({low} bis {high}; lat und lon "
                "vertauscht?)",
            )
        return value

    return parse


def _postcode(raw: str) -> str | None:
    if not raw:
        return None
    code = raw.replace(" ", "")
    # Spreadsheets drop the leading zero of Saxon and Thuringian codes ("1067" for 01067).
    if len(code) == 4 and code.isdigit():
        code = "0" + code
    if not (len(code) == 5 and code.isdigit()):
        raise _FieldError(
            f"'{raw}' is not a postcode (five digits)",
            f"„{raw}“ ist keine Postleitzahl (fünf Ziffern)",
        )
    return code


def _phone(*, required: bool = False, mobile: bool = False) -> Callable[[str], str | None]:
    def parse(raw: str) -> str | None:
        if not raw:
            if required:
                raise _FieldError("must not be empty", "darf nicht leer sein")
            return None
        try:
            return normalise_phone(raw, mobile=mobile)
        except PhoneNumberError as exc:
            raise _FieldError(exc.message, exc.message_de) from None

    return parse


def _email(raw: str) -> str | None:
    if not raw:
        return None
    if len(raw) > 254 or not _EMAIL.fullmatch(raw):
        raise _FieldError(f"'{raw}' is not an e-mail address", f"„{raw}“ ist keine E-Mail-Adresse")
    return raw


def _website(raw: str) -> str | None:
    if not raw:
        return None
    parts = urlsplit(raw)
    host = parts.hostname or ""
    if (
        parts.scheme not in ("http", "https")
        or "." not in host
        or any(ch.isspace() for ch in raw)
        or len(raw) > 300
    ):
        raise _FieldError(
            f"'{raw}' is not a web address starting with http:// or https:// "
            "(e.g. https://www.example.de)",
            f"„{raw}“ ist keine Webadresse mit http:// oder https:// "
            "(z. B. https://www.example.de)",
        )
    return raw


def _boolean(raw: str) -> bool:
    word = raw.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _FieldError(
        f"'{raw}' is not yes or no (use ja/nein, true/false, 1/0, or x/empty)",
        f"„{raw}“ ist weder ja noch nein (erlaubt: ja/nein, true/false, 1/0 oder x/leer)",
    )


def _price(raw: str) -> Decimal | None:
    text = raw.replace("€", "").replace("EUR", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _FieldError(
            f"'{raw}' is not an amount in euros (e.g. 89,50)",
            f"„{raw}“ ist kein Euro-Betrag (z. B. 89,50)",
        ) from None
    if not value.is_finite() or value < 0 or value > MAX_PRICE:
        raise _FieldError(
            f"'{raw}' must be between 0 and {MAX_PRICE} euros",
            f"„{raw}“ muss zwischen 0 und {MAX_PRICE} Euro liegen",
        )
    if value != value.quantize(Decimal("0.01")):
        raise _FieldError(
            f"'{raw}' has more than two decimal places",
            f"„{raw}“ hat mehr als zwei Nachkommastellen",
        )
    return value.quantize(Decimal("0.01"))


class _RowParser:
    """Validates rows; holds the caches that make 100,000 rows cheap to check."""

    def __init__(
        self, max_radius_km: float, locate: Callable[..., Location], trades: Mapping[str, int]
    ) -> None:
        self.max_radius_km = max_radius_km
        self.locate_address = locate
        self.trades = trades
        self.hours_errors: dict[str, HoursSyntaxError | None] = {}
        self.lands: dict[str, str | None] = {}
        self.locations: dict[tuple[str | None, ...], tuple[float, float] | PlaceNotFound] = {}
        self.nearest_lands: dict[tuple[float, float], str] = {}
        lat_low, lat_high, lon_low, lon_high = GERMANY_BOX
        self.parsers: dict[str, Callable[[str], Any]] = {
            "ref": _text(64, required=True),
            "name": _text(200, required=True),
            "trades": self._trades,
            "street": _text(200),
            "postcode": _postcode,
            "city": _text(120),
            "lat": _coordinate(lat_low, lat_high, "latitude"),
            "lon": _coordinate(lon_low, lon_high, "longitude"),
            "phone": _phone(required=True),
            "emergency_phone": _phone(),
            "mobile": _phone(mobile=True),
            "email": _email,
            "website": _website,
            "service_radius_km": self._radius,
            "opening_hours": self._hours,
            "emergency_hours": self._hours,
            "accepts_new_customers": _boolean,
            "callout_price_eur": _price,
            "innungsbetrieb": _boolean,
            "meisterbetrieb": _boolean,
        }

    def _trades(self, raw: str) -> frozenset[int]:
        slugs = [part.strip().lower() for part in raw.split(TRADE_SEPARATOR)]
        slugs = [slug for slug in slugs if slug]
        if not slugs:
            raise _FieldError(
                "must name at least one trade (slugs separated by ';', e.g. klempner;glaser)",
                "muss mindestens ein Gewerk nennen (durch ';' getrennt, z. B. klempner;glaser)",
            )
        unknown = [slug for slug in slugs if slug not in self.trades]
        if unknown:
            valid = ", ".join(sorted(self.trades))
            names = ", ".join(f"'{slug}'" for slug in unknown)
            raise _FieldError(
                f"unknown trade {names} (valid: {valid})",
                f"unbekanntes Gewerk {names} (gültig: {valid})",
            )
        return frozenset(self.trades[slug] for slug in slugs)

    def _radius(self, raw: str) -> Any:
        if not raw:
            return _KEEP
        value = _number(raw)
        if not 0 < value <= self.max_radius_km:
            limit = f"{self.max_radius_km:g}"
            raise _FieldError(
                f"must be more than 0 and at most {limit} km",
                f"muss größer als 0 und höchstens {limit} km sein",
            )
        return value

    def _hours(self, raw: str) -> str | None:
        if not raw:
            return None
        if len(raw) > 500:
            raise _FieldError("is longer than 500 characters", "ist länger als 500 Zeichen")
        if raw not in self.hours_errors:
            try:
                validate_hours(raw)
                self.hours_errors[raw] = None
            except HoursSyntaxError as exc:
                self.hours_errors[raw] = exc
        error = self.hours_errors[raw]
        if error is not None:
            raise _FieldError(error.message, error.message_de)
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
            cell = row[column]
            raw = "" if cell is None else str(cell).strip()
            try:
                value = parse(raw)
            except _FieldError as exc:
                errors.append(RowError(line, column, raw, exc.message, exc.message_de))
                continue
            if column == "trades":
                trade_ids = value
            elif value is not _KEEP:
                values[column] = value
        return values, trade_ids, errors

    def locate(
        self, line: int, row: Mapping[str, Any], record: dict[str, Any], stored: _Stored | None
    ) -> list[RowError]:
        """Fill lat, lon and land of ``record`` (merged row) in place; errors if impossible.

        Coordinates given in the row win; empty ones are found from the address; a file
        without lat/lon columns keeps the stored coordinates unless the address changed.
        The Land always comes from the postcode (or the postcode nearest the coordinates).
        """
        lat, lon = record["lat"], record["lon"]
        if (lat is None) != (lon is None):
            column = "lon" if lon is None else "lat"
            return [
                RowError(
                    line,
                    column,
                    "",
                    "lat and lon must both be given or both be empty",
                    "lat und lon müssen beide angegeben oder beide leer sein",
                )
            ]
        if "lat" in row or "lon" in row:
            needs_lookup = lat is None
        else:
            moved = stored is not None and any(
                record[name] != stored.values[name] for name in ADDRESS_FIELDS
            )
            needs_lookup = stored is None or moved
        postcode = record["postcode"]
        if postcode is None and needs_lookup:
            return [
                RowError(
                    line,
                    "postcode",
                    "",
                    "a postcode or lat and lon are required",
                    "Postleitzahl oder lat und lon sind erforderlich",
                )
            ]
        if postcode is not None:
            if postcode not in self.lands:
                self.lands[postcode] = land_for_postcode(postcode)
            land = self.lands[postcode]
            if land is None:
                return [
                    RowError(
                        line,
                        "postcode",
                        postcode,
                        f"unknown postcode {postcode}",
                        f"unbekannte Postleitzahl {postcode}",
                    )
                ]
        if needs_lookup:
            key = (record["street"], postcode, record["city"])
            if key not in self.locations:
                try:
                    found = self.locate_address(*key)
                    self.locations[key] = (found.lat, found.lon)
                except PlaceNotFound as exc:
                    self.locations[key] = exc
            location = self.locations[key]
            if isinstance(location, PlaceNotFound):
                return [
                    RowError(
                        line,
                        "postcode",
                        postcode,
                        f"the address cannot be located: {location}",
                        f"die Adresse wurde nicht gefunden: {location}",
                    )
                ]
            record["lat"], record["lon"] = location
        if postcode is None:
            point = (record["lat"], record["lon"])
            if point not in self.nearest_lands:
                self.nearest_lands[point] = nearest_postcode(*point).land
            land = self.nearest_lands[point]
        record["land"] = land
        return []


def _load_stored(guild_id: int) -> dict[str, _Stored]:
    """Every business of the guild, by ref, with its trade ids: two queries."""
    table = Business.__table__
    columns = [table.c.id, table.c.version, *(table.c[name] for name in FIELDS)]
    stored: dict[str, _Stored] = {}
    by_id: dict[int, _Stored] = {}
    for row in db.session.execute(select(*columns).where(table.c.guild_id == guild_id)):
        values = dict(zip(FIELDS, row[2:], strict=True))
        item = _Stored(row[0], row[1], values, frozenset())
        stored[values["ref"]] = by_id[row[0]] = item
    links = BusinessTrade.__table__
    trade_ids: dict[int, set[int]] = {}
    for business_id, trade_id in db.session.execute(
        select(links.c.business_id, links.c.trade_id)
        .join(table, table.c.id == links.c.business_id)
        .where(table.c.guild_id == guild_id)
    ):
        trade_ids.setdefault(business_id, set()).add(trade_id)
    for business_id, ids in trade_ids.items():
        by_id[business_id].trade_ids = frozenset(ids)
    return stored


def _duplicate_errors(lines_by_ref: dict[str, list[int]]) -> list[RowError]:
    errors = []
    for ref, lines in lines_by_ref.items():
        if len(lines) < 2:
            continue
        for line in lines:
            others = ", ".join(str(other) for other in lines if other != line)
            errors.append(
                RowError(
                    line,
                    "ref",
                    ref,
                    f"duplicate ref '{ref}': also on line {others}",
                    f"doppelte ref „{ref}“: auch in Zeile {others}",
                )
            )
    return errors


def _validate(
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    parser: _RowParser,
    stored: dict[str, _Stored],
) -> tuple[list[_Row], list[RowError]]:
    defaults = _defaults()
    valid: list[_Row] = []
    errors: list[RowError] = []
    lines_by_ref: dict[str, list[int]] = {}
    for line, row in rows:
        values, trade_ids, row_errors = parser.parse(line, row)
        ref = values.get("ref")
        if ref is not None:
            lines_by_ref.setdefault(ref, []).append(line)
        current = stored.get(ref) if ref is not None else None
        if not row_errors:
            record = {**(current.values if current else defaults), **values}
            row_errors = parser.locate(line, row, record, current)
        if row_errors:
            errors.extend(row_errors)
            continue
        assert trade_ids is not None
        valid.append(_Row(line, record, trade_ids, current))
    duplicates = _duplicate_errors(lines_by_ref)
    if duplicates:
        bad = {error.line for error in duplicates}
        valid = [row for row in valid if row.line not in bad]
        errors.extend(duplicates)
    order = {name: index for index, name in enumerate(COLUMNS)}
    errors.sort(key=lambda e: (e.line, order.get(e.column or "", -1)))
    return valid, errors


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(guild_id: int, created: list[_Row], updated: list[tuple[_Row, _Stored]]) -> None:
    """Insert and update businesses and their trade links with bulk Core statements.

    Plain executemany in batches: INSERT ... RETURNING would make SQLAlchemy render
    multi-row VALUES statements that psycopg 3 re-parses in Python (5x slower on
    PostgreSQL), and batches keep the parameter lists small.
    """
    table = Business.__table__
    links = BusinessTrade.__table__
    now = utcnow()
    new_fields = {"guild_id": guild_id, "version": 1, "active": True}
    for batch in _chunks(created, WRITE_BATCH):
        db.session.execute(
            insert(table),
            [{**row.values, **new_fields, "created_at": now, "updated_at": now} for row in batch],
        )
    if created:
        # One scan of the guild: "ref IN (...)" lists are slow on a table without fresh
        # planner statistics, which is exactly the state after a big insert.
        ids = dict(
            db.session.execute(
                select(table.c.ref, table.c.id).where(table.c.guild_id == guild_id)
            ).all()
        )
        for batch in _chunks(created, WRITE_BATCH):
            _insert_links([(ids[row.values["ref"]], row) for row in batch])
    statement = update(table).where(
        table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version")
    )
    check_rowcount = db.session.get_bind().dialect.supports_sane_multi_rowcount
    for batch in _chunks(updated, WRITE_BATCH):
        params = [
            {
                **row.values,
                "b_id": stored.id,
                "b_version": stored.version,
                "version": stored.version + 1,
                "updated_at": now,
            }
            for row, stored in batch
        ]
        result = db.session.execute(statement, params)
        if check_rowcount and result.rowcount != len(params):
            raise ImportConflict(
                "some businesses were changed by someone else while the import ran; "
                "nothing was written, please import again"
            )
        # Trade links carry the business's coordinates: replace them when either changed.
        relinked = [
            (stored.id, row)
            for row, stored in batch
            if row.trade_ids != stored.trade_ids or _point(row.values) != _point(stored.values)
        ]
        for ids in _chunks([business_id for business_id, _ in relinked]):
            db.session.execute(delete(links).where(links.c.business_id.in_(ids)))
        _insert_links(relinked)


def _insert_links(rows: list[tuple[int, _Row]]) -> None:
    """Insert the trade links of businesses (by id), with a copy of their coordinates."""
    params = [
        {"business_id": business_id, "trade_id": trade_id, **_point(row.values)}
        for business_id, row in rows
        for trade_id in row.trade_ids
    ]
    if params:
        db.session.execute(insert(BusinessTrade.__table__), params)


def _point(values: dict[str, Any]) -> dict[str, float]:
    return {"lat": values["lat"], "lon": values["lon"]}


def _run_import(
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    guild_slug: str,
    *,
    dry_run: bool,
    keep_valid: bool,
    actor: str,
    max_radius_km: float,
    geocoder_url: str | None,
    geocoder_user_agent: str,
    geocoder_timeout: float | None,
    source: str | None,
    file_errors: list[RowError],
) -> ImportReport:
    """Validate everything, then write all valid rows in one transaction (or nothing).

    ``file_errors`` are bad lines found while reading the file (filled as ``rows`` are
    read); they block the write like bad rows do.
    """
    guild = get_guild(guild_slug)
    trades = {slug: ref.id for slug, ref in trades_by_slug().items()}
    stored = _load_stored(guild.id)
    geocoder: dict[str, Any] = {"geocoder_url": geocoder_url, "user_agent": geocoder_user_agent}
    if geocoder_timeout is not None:
        geocoder["timeout"] = geocoder_timeout
    parser = _RowParser(max_radius_km, partial(locate_address, **geocoder), trades)
    valid, errors = _validate(rows, parser, stored)
    errors = sorted(file_errors + errors, key=lambda e: e.line)
    report = ImportReport(errors=errors, dry_run=dry_run)
    created = [row for row in valid if row.stored is None]
    updated = [
        (row, row.stored)
        for row in valid
        if row.stored is not None
        and (row.values != row.stored.values or row.trade_ids != row.stored.trade_ids)
    ]
    report.created, report.updated = len(created), len(updated)
    report.unchanged = len(valid) - len(created) - len(updated)
    if dry_run or (errors and not keep_valid) or not valid:
        db.session.rollback()
        return report
    try:
        _write(guild.id, created, updated)
        _audit(actor, guild, report, source, keep_valid)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.written = True
    return report


def _audit(
    actor: str, guild: GuildAssociation, report: ImportReport, source: str | None, keep: bool
) -> None:
    record_change(
        actor,
        "import_businesses",
        guild,
        {
            "file": source,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "bad_rows": len(report.bad_lines),
            "keep_valid": keep,
        },
    )


def _header_errors(header: Iterable[str]) -> list[RowError]:
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


def import_businesses(
    rows: Iterable[Mapping[str, str]],
    guild_slug: str,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    actor: str,
    max_radius_km: float,
    geocoder_url: str | None = None,
    geocoder_user_agent: str = "handwerker-schnellruf",
    geocoder_timeout: float | None = None,
    first_line: int = 2,
    source: str | None = None,
) -> ImportReport:
    """Import businesses from mappings of column name to cell text (see :data:`COLUMNS`).

    Row ``i`` (from 0) is reported as line ``first_line + i``. The columns are those of the
    first row. Empty coordinates are found with the geocoder at ``geocoder_url`` (Nominatim
    API; ``None``: offline gazetteer only), asked with ``geocoder_user_agent``. Nothing is
    written when ``dry_run`` is set, or when any row is bad unless ``keep_valid`` is set;
    otherwise the valid rows are written and committed in one transaction with one audit
    entry (``source`` names the file). Raises
    :class:`~backend.services.organisations.OrganisationError` for an unknown guild and
    :class:`ImportConflict` when businesses changed underneath the import.
    """
    rows = iter(rows)  # read once, lazily: a generator of 100,000 rows need not be a list
    first = next(rows, None)
    if first is not None and (errors := _header_errors(first.keys())):
        # Mappings have no header line: report column problems on the first row instead.
        return ImportReport(
            errors=[
                RowError(first_line, e.column, e.value, e.message, e.message_de) for e in errors
            ],
            dry_run=dry_run,
        )
    return _run_import(
        numbered(chain([first] if first is not None else [], rows), first_line),
        guild_slug,
        dry_run=dry_run,
        keep_valid=keep_valid,
        actor=actor,
        max_radius_km=max_radius_km,
        geocoder_url=geocoder_url,
        geocoder_user_agent=geocoder_user_agent,
        geocoder_timeout=geocoder_timeout,
        source=source,
        file_errors=[],
    )


def import_businesses_csv(
    stream: IO[bytes],
    guild_slug: str,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    actor: str,
    max_radius_km: float,
    geocoder_url: str | None = None,
    geocoder_user_agent: str = "handwerker-schnellruf",
    geocoder_timeout: float | None = None,
    source: str | None = None,
) -> ImportReport:
    """Import a CSV file (UTF-8 with or without BOM, ``,`` or ``;``); see :func:`import_businesses`.

    Errors carry physical line numbers (header = line 1). A damaged file (not UTF-8, bad
    header, rows with the wrong number of fields) is reported like bad rows.
    """
    table = read_csv(stream)
    if not table.header:  # empty, or not UTF-8
        return ImportReport(errors=table.errors, dry_run=dry_run)
    if header_errors := _header_errors(table.header):
        return ImportReport(errors=header_errors, dry_run=dry_run)
    return _run_import(
        table.rows,
        guild_slug,
        dry_run=dry_run,
        keep_valid=keep_valid,
        actor=actor,
        max_radius_km=max_radius_km,
        geocoder_url=geocoder_url,
        geocoder_user_agent=geocoder_user_agent,
        geocoder_timeout=geocoder_timeout,
        source=source or getattr(stream, "name", None),
        file_errors=table.errors,
    )


def _cell(value: Any) -> str:
    """Text of a stored value as the import reads it back unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def export_businesses_csv(guild_slug: str, stream: IO[str]) -> int:
    """Write the guild's businesses in the import format, ordered by ref; returns the count.

    Phones are written in E.164, yes/no as ``ja``/``nein``, decimals with a point, so that
    importing the file again changes nothing.
    """
    guild = get_guild(guild_slug)
    table = Business.__table__
    links = BusinessTrade.__table__
    trades = Trade.__table__
    slugs: dict[int, list[str]] = {}
    for business_id, slug in db.session.execute(
        select(links.c.business_id, trades.c.slug)
        .join(trades, trades.c.id == links.c.trade_id)
        .join(table, table.c.id == links.c.business_id)
        .where(table.c.guild_id == guild.id)
        .order_by(links.c.business_id, trades.c.sort_order, trades.c.id)
    ):
        slugs.setdefault(business_id, []).append(slug)
    exported = [name for name in COLUMNS if name != "trades"]
    query = (
        select(table.c.id, *(table.c[name] for name in exported))
        .where(table.c.guild_id == guild.id)
        .order_by(table.c.ref)
    )

    def rows() -> Iterator[dict[str, str]]:
        for business_id, *values in db.session.execute(query):
            row = {name: _cell(value) for name, value in zip(exported, values, strict=True)}
            row["trades"] = TRADE_SEPARATOR.join(slugs.get(business_id, []))
            yield row

    return write_csv(stream, COLUMNS, rows())
