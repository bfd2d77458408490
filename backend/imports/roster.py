"""The roster import's own steps: check shifts against the guild, add new ones, move ends."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update

from backend.businesses.models import Business, BusinessTrade
from backend.businesses.refs import ref_key
from backend.core.types import utcnow
from backend.extensions import db
from backend.imports.report import ErrorList, RowError
from backend.imports.roster_rows import COLUMNS, RosterRowParser, Shift
from backend.imports.row_errors import repeated_key_errors
from backend.imports.run import Changes, NumberedRows
from backend.organisations.models import GuildAssociation
from backend.reference.catalogue import trades_by_slug
from backend.roster.models import RosterShift

ShiftKey = tuple[int, int, datetime]


def _guild_maps(guild_id: int) -> tuple[dict[str, int], set[tuple[int, int]]]:
    """Business id by :func:`ref_key`, and the (business id, trade id) pairs, of one guild."""
    businesses = Business.__table__
    links = BusinessTrade.__table__
    by_ref = {
        ref_key(ref): business_id
        for ref, business_id in db.session.execute(
            select(businesses.c.ref, businesses.c.id).where(businesses.c.guild_id == guild_id)
        )
    }
    pairs = {
        (business_id, trade_id)
        for business_id, trade_id in db.session.execute(
            select(links.c.business_id, links.c.trade_id)
            .join(businesses, businesses.c.id == links.c.business_id)
            .where(businesses.c.guild_id == guild_id)
        )
    }
    return by_ref, pairs


def _stored_shifts(guild_id: int) -> dict[ShiftKey, tuple[int, datetime]]:
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


class RosterSteps:
    """Validates roster rows against the guild's businesses and shifts, and writes them."""

    action = "import_roster"
    columns = COLUMNS

    def __init__(
        self, parser: RosterRowParser, stored: Mapping[ShiftKey, tuple[int, datetime]]
    ) -> None:
        self.parser = parser
        self.stored = stored

    @classmethod
    def prepare(cls, guild: GuildAssociation) -> RosterSteps:
        """Load the guild's businesses, their trades and shifts (before any row is read)."""
        by_ref, pairs = _guild_maps(guild.id)
        trades = {slug: ref.id for slug, ref in trades_by_slug().items()}
        return cls(RosterRowParser(by_ref, trades, pairs), _stored_shifts(guild.id))

    def validate(self, rows: NumberedRows) -> tuple[Changes, list[RowError]]:
        """Parse every row, refuse repeated shifts; what the valid shifts would change."""
        errors: list[RowError] = ErrorList()  # bounded: a file of junk is not kept whole
        shifts: list[Shift] = []
        lines_by_key: dict[ShiftKey, list[int]] = {}
        for line, row in rows:
            shift, row_errors = self.parser.parse(line, row)
            if shift is None:
                errors.extend(row_errors)
                continue
            shifts.append(shift)
            lines_by_key.setdefault(shift.key, []).append(line)
        duplicates = repeated_key_errors(
            lines_by_key,
            "start",
            "the same shift (ref, trade and start) is also on line {others}",
            "dieselbe Schicht (ref, Gewerk und Beginn) steht auch in Zeile {others}",
        )
        errors.extend(duplicates)
        bad = {error.line for error in duplicates}
        return self._changes([shift for shift in shifts if shift.line not in bad]), errors

    def _changes(self, valid: list[Shift]) -> Changes:
        changes = Changes()
        for shift in valid:
            current = self.stored.get(shift.key)
            if current is None:
                changes.created.append(shift)
            elif current[1] != shift.ends_at:
                changes.updated.append((current[0], shift))
            else:
                changes.unchanged += 1
        return changes

    def write(self, changes: Changes) -> None:
        """Insert the new shifts and move the ends of the changed ones."""
        table = RosterShift.__table__
        now = utcnow()
        if changes.created:
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
                    for shift in changes.created
                ],
            )
        if changes.updated:
            db.session.execute(
                update(table).where(table.c.id == bindparam("b_id")),
                [
                    {"b_id": shift_id, "ends_at": shift.ends_at}
                    for shift_id, shift in changes.updated
                ],
            )
