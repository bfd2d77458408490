"""Import and export of a guild's emergency-duty roster (Notdienstplan) as CSV.

Columns: ``ref,trade,start,end``. ``start`` and ``end`` are ISO 8601 with a UTC offset
(``2026-12-24T18:00:00+01:00``); a shift may cross midnight and the daylight-saving switches
(the offsets tell the instants apart). The business (by ``ref`` in the guild) must exist and
have the trade. Re-importing a shift with the same business, trade and start updates its end
instead of adding a second shift. Shifts not in the file are left alone.

Export writes the times in Europe/Berlin with the offset in force at each instant.

The import takes the course of every import (see :mod:`backend.imports.run`, which
also says who owns the transaction); its own steps are in :mod:`backend.imports.roster`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import IO

from sqlalchemy import select

from backend.audit.operations import Actor
from backend.businesses.models import Business
from backend.extensions import db
from backend.hours import BERLIN
from backend.imports.csv_write import write_csv
from backend.imports.report import ImportReport, RowError
from backend.imports.roster import RosterSteps
from backend.imports.roster_rows import COLUMNS, MAX_SHIFT, header_errors
from backend.imports.run import ImportOptions, import_csv, import_mappings
from backend.organisations.operations import get_guild
from backend.reference.models import Trade
from backend.roster.models import RosterShift

__all__ = [
    "COLUMNS",
    "MAX_SHIFT",
    "ImportReport",
    "RowError",
    "export_roster_csv",
    "import_roster",
    "import_roster_csv",
]


def import_roster(
    rows: Iterable[Mapping[str, str]],
    guild_slug: str,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    actor: str | Actor,
    first_line: int = 2,
    source: str | None = None,
) -> ImportReport:
    """Import shifts from mappings with the keys ``ref``, ``trade``, ``start``, ``end``.

    Row ``i`` (from 0) is reported as line ``first_line + i``. Nothing is written when
    ``dry_run`` is set, or when any row is bad unless ``keep_valid`` is set; otherwise the
    valid rows are written and committed in one transaction with one audit entry. Raises
    :class:`~backend.organisations.operations.OrganisationError` for an unknown guild.
    """
    options = ImportOptions(actor, dry_run, keep_valid, source)
    return import_mappings(rows, guild_slug, RosterSteps.prepare, options, first_line=first_line)


def import_roster_csv(
    stream: IO[bytes],
    guild_slug: str,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    actor: str | Actor,
    source: str | None = None,
) -> ImportReport:
    """Import a roster CSV file (UTF-8 with or without BOM, ``,`` or ``;``)."""
    options = ImportOptions(actor, dry_run, keep_valid, source)
    return import_csv(stream, guild_slug, RosterSteps.prepare, options, header_errors=header_errors)


def berlin_iso(value: datetime) -> str:
    """``2026-12-24T18:00:00+01:00``: the instant in Berlin time with its offset."""
    return value.astimezone(BERLIN).isoformat()


def export_roster_csv(
    guild_slug: str, stream: IO[str], *, since: datetime | None = None, excel: bool = False
) -> int:
    """Write the guild's shifts (those ending after ``since``, if given); returns the count.

    ``excel``: BOM and ``;`` (see :func:`~backend.imports.csv_write.write_csv`).
    """
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
    return write_csv(stream, COLUMNS, rows, excel=excel)
