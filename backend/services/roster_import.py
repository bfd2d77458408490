"""Import and export of a guild's emergency-duty roster (Notdienstplan) as CSV.

Columns: ``ref,trade,start,end``. ``start`` and ``end`` are ISO 8601 with a UTC offset
(``2026-12-24T18:00:00+01:00``); a shift may cross midnight and the daylight-saving switches
(the offsets tell the instants apart). The business (by ``ref`` in the guild) must exist and
have the trade. Re-importing a shift with the same business, trade and start updates its end
instead of adding a second shift. Shifts not in the file are left alone.

Export writes the times in Europe/Berlin with the offset in force at each instant.

An import owns the session's transaction: it commits what it wrote, and rolls back when it
writes nothing (dry run, bad rows) or fails, so call it with no other changes pending.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, insert, select, update

from backend.extensions import db
from backend.models import Business, BusinessTrade, GuildAssociation, RosterShift, Trade
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
from backend.services.organisations import get_guild
from backend.services.reference import trades_by_slug

__all__ = [
    "COLUMNS",
    "MAX_SHIFT",
    "ImportReport",
    "RowError",
    "export_roster_csv",
    "import_roster",
    "import_roster_csv",
]

COLUMNS = ("ref", "trade", "start", "end")
# A longer shift is almost certainly a typo in the year or month.
MAX_SHIFT = timedelta(days=14)
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(slots=True)
class _Shift:
    line: int
    business_id: int
    trade_id: int
    starts_at: datetime
    ends_at: datetime


def _instant(raw: str) -> datetime:
    """An ISO 8601 date-time with a UTC offset, or ValueError with an English/German reason."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(
            f"'{raw}' is not an ISO 8601 date-time (e.g. 2026-12-24T18:00:00+01:00)",
            f"„{raw}“ ist kein Zeitpunkt nach ISO 8601 (z. B. 2026-12-24T18:00:00+01:00)",
        ) from None
    if value.tzinfo is None:
        raise ValueError(
            f"'{raw}' has no UTC offset; add it, e.g. +01:00 in winter or +02:00 in summer",
            f"„{raw}“ fehlt der UTC-Versatz; bitte ergänzen, z. B. +01:00 im Winter oder "
            "+02:00 im Sommer",
        )
    return value


class _RowParser:
    def __init__(
        self, businesses: Mapping[str, int], trades: Mapping[str, int], links: set[tuple[int, int]]
    ) -> None:
        self.businesses = businesses
        self.trades = trades
        self.links = links

    def parse(self, line: int, row: Mapping[str, Any]) -> tuple[_Shift | None, list[RowError]]:
        cells = {}
        errors = []
        for column in COLUMNS:
            cell = row.get(column)
            cells[column] = "" if cell is None else str(cell).strip()
            if not cells[column]:
                errors.append(
                    RowError(line, column, "", "must not be empty", "darf nicht leer sein")
                )

        def fail(column: str, message: str, message_de: str) -> None:
            errors.append(RowError(line, column, cells[column], message, message_de))

        ref, slug = cells["ref"], cells["trade"].lower()
        business_id = self.businesses.get(ref)
        if ref and business_id is None:
            fail(
                "ref",
                f"no business with ref '{ref}' in this guild (import the businesses first)",
                f"kein Betrieb mit ref „{ref}“ in dieser Innung (zuerst die Betriebe importieren)",
            )
        trade_id = self.trades.get(slug)
        if slug and trade_id is None:
            valid = ", ".join(sorted(self.trades))
            fail(
                "trade",
                f"unknown trade '{slug}' (valid: {valid})",
                f"unbekanntes Gewerk „{slug}“ (gültig: {valid})",
            )
        elif business_id is not None and (business_id, trade_id) not in self.links:
            fail(
                "trade",
                f"business '{ref}' does not have the trade '{slug}'",
                f"der Betrieb „{ref}“ hat das Gewerk „{slug}“ nicht",
            )
        times: dict[str, datetime] = {}
        for column in ("start", "end"):
            if cells[column]:
                try:
                    times[column] = _instant(cells[column])
                except ValueError as exc:
                    fail(column, *exc.args)
        if len(times) == 2:
            length = times["end"] - times["start"]
            if length <= timedelta(0):
                fail("end", "must be after start", "muss nach dem Beginn liegen")
            elif length > MAX_SHIFT:
                fail(
                    "end",
                    f"the shift would last {_duration(length)}, longer than "
                    f"{MAX_SHIFT.days} days: probably a typo",
                    f"die Schicht dauerte {_duration(length, de=True)}, länger als "
                    f"{MAX_SHIFT.days} Tage: vermutlich ein Tippfehler",
                )
        if errors:
            return None, errors
        assert business_id is not None and trade_id is not None
        return _Shift(line, business_id, trade_id, times["start"], times["end"]), []


def _duration(length: timedelta, *, de: bool = False) -> str:
    hours = round(length.total_seconds() / 3600)
    days, hours = divmod(hours, 24)
    if de:
        return f"{days} Tage {hours} Stunden"
    return f"{days} days {hours} hours"


def _guild_maps(guild_id: int) -> tuple[dict[str, int], set[tuple[int, int]]]:
    """Business id by ref, and the (business id, trade id) pairs, of one guild."""
    businesses = Business.__table__
    links = BusinessTrade.__table__
    by_ref: dict[str, int] = dict(
        db.session.execute(
            select(businesses.c.ref, businesses.c.id).where(businesses.c.guild_id == guild_id)
        ).all()
    )
    pairs = {
        (business_id, trade_id)
        for business_id, trade_id in db.session.execute(
            select(links.c.business_id, links.c.trade_id)
            .join(businesses, businesses.c.id == links.c.business_id)
            .where(businesses.c.guild_id == guild_id)
        )
    }
    return by_ref, pairs


def _stored_shifts(guild_id: int) -> dict[tuple[int, int, datetime], tuple[int, datetime]]:
    """(business, trade, start) -> (shift id, end) for the guild's shifts."""
    shifts = RosterShift.__table__
    businesses = Business.__table__
    rows = db.session.execute(
        select(
            shifts.c.business_id,
            shifts.c.trade_id,
            shifts.c.starts_at,
            shifts.c.id,
            shifts.c.ends_at,
        )
        .join(businesses, businesses.c.id == shifts.c.business_id)
        .where(businesses.c.guild_id == guild_id)
    )
    return {(b, t, start): (shift_id, end) for b, t, start, shift_id, end in rows}


def _run_import(
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    guild_slug: str,
    *,
    dry_run: bool,
    keep_valid: bool,
    actor: str,
    source: str | None,
    file_errors: list[RowError],
) -> ImportReport:
    guild = get_guild(guild_slug)
    by_ref, pairs = _guild_maps(guild.id)
    trades = {slug: ref.id for slug, ref in trades_by_slug().items()}
    parser = _RowParser(by_ref, trades, pairs)
    stored = _stored_shifts(guild.id)
    errors: list[RowError] = []
    shifts: list[_Shift] = []
    lines_by_key: dict[tuple[int, int, datetime], list[int]] = {}
    for line, row in rows:
        shift, row_errors = parser.parse(line, row)
        if shift is None:
            errors.extend(row_errors)
            continue
        shifts.append(shift)
        lines_by_key.setdefault((shift.business_id, shift.trade_id, shift.starts_at), []).append(
            line
        )
    duplicate_lines: set[int] = set()
    for lines in lines_by_key.values():
        if len(lines) > 1:
            duplicate_lines.update(lines)
            for line in lines:
                others = ", ".join(str(other) for other in lines if other != line)
                errors.append(
                    RowError(
                        line,
                        "start",
                        None,
                        f"the same shift (ref, trade and start) is also on line {others}",
                        f"dieselbe Schicht (ref, Gewerk und Beginn) steht auch in Zeile {others}",
                    )
                )
    errors.extend(file_errors)  # filled while the rows were read
    order = {name: index for index, name in enumerate(COLUMNS)}
    errors.sort(key=lambda e: (e.line, order.get(e.column or "", -1)))
    valid = [shift for shift in shifts if shift.line not in duplicate_lines]
    created = []
    updated = []
    for shift in valid:
        current = stored.get((shift.business_id, shift.trade_id, shift.starts_at))
        if current is None:
            created.append(shift)
        elif current[1] != shift.ends_at:
            updated.append((current[0], shift))
    report = ImportReport(
        created=len(created),
        updated=len(updated),
        unchanged=len(valid) - len(created) - len(updated),
        errors=errors,
        dry_run=dry_run,
    )
    if dry_run or (errors and not keep_valid) or not valid:
        db.session.rollback()
        return report
    try:
        _write(created, updated)
        _audit(actor, guild, report, source, keep_valid)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.written = True
    return report


def _write(created: list[_Shift], updated: list[tuple[int, _Shift]]) -> None:
    table = RosterShift.__table__
    now = utcnow()
    if created:
        db.session.execute(
            insert(table),
            [
                {
                    "business_id": shift.business_id,
                    "trade_id": shift.trade_id,
                    "starts_at": shift.starts_at,
                    "ends_at": shift.ends_at,
                    "created_at": now,
                }
                for shift in created
            ],
        )
    if updated:
        db.session.execute(
            update(table).where(table.c.id == bindparam("b_id")),
            [{"b_id": shift_id, "ends_at": shift.ends_at} for shift_id, shift in updated],
        )


def _audit(
    actor: str, guild: GuildAssociation, report: ImportReport, source: str | None, keep: bool
) -> None:
    record_change(
        actor,
        "import_roster",
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


def import_roster(
    rows: Iterable[Mapping[str, str]],
    guild_slug: str,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    actor: str,
    first_line: int = 2,
    source: str | None = None,
) -> ImportReport:
    """Import shifts from mappings with the keys ``ref``, ``trade``, ``start``, ``end``.

    Row ``i`` (from 0) is reported as line ``first_line + i``. Nothing is written when
    ``dry_run`` is set, or when any row is bad unless ``keep_valid`` is set; otherwise the
    valid rows are written and committed in one transaction with one audit entry. Raises
    :class:`~backend.services.organisations.OrganisationError` for an unknown guild.
    """
    return _run_import(
        numbered(rows, first_line),
        guild_slug,
        dry_run=dry_run,
        keep_valid=keep_valid,
        actor=actor,
        source=source,
        file_errors=[],
    )


def import_roster_csv(
    stream: IO[bytes],
    guild_slug: str,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    actor: str,
    source: str | None = None,
) -> ImportReport:
    """Import a roster CSV file (UTF-8 with or without BOM, ``,`` or ``;``)."""
    table = read_csv(stream)
    if not table.header:
        return ImportReport(errors=table.errors, dry_run=dry_run)
    if header_errors := check_header(table.header, COLUMNS, COLUMNS):
        return ImportReport(errors=header_errors, dry_run=dry_run)
    return _run_import(
        table.rows,
        guild_slug,
        dry_run=dry_run,
        keep_valid=keep_valid,
        actor=actor,
        source=source or getattr(stream, "name", None),
        file_errors=table.errors,
    )


def berlin_iso(value: datetime) -> str:
    """``2026-12-24T18:00:00+01:00``: the instant in Berlin time with its offset."""
    return value.astimezone(BERLIN).isoformat()


def export_roster_csv(guild_slug: str, stream: IO[str], *, since: datetime | None = None) -> int:
    """Write the guild's shifts (those ending after ``since``, if given); returns the count."""
    guild = get_guild(guild_slug)
    query = (
        select(Business.ref, Trade.slug, RosterShift.starts_at, RosterShift.ends_at)
        .join(Business, Business.id == RosterShift.business_id)
        .join(Trade, Trade.id == RosterShift.trade_id)
        .where(Business.guild_id == guild.id)
        .order_by(RosterShift.starts_at, Business.ref, Trade.sort_order, Trade.id)
    )
    if since is not None:
        query = query.where(RosterShift.ends_at > since)
    rows = (
        (ref, slug, berlin_iso(start), berlin_iso(end))
        for ref, slug, start, end in db.session.execute(query)
    )
    return write_csv(stream, COLUMNS, rows)
