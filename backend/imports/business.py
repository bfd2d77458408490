"""The business import's own steps: validate rows against the stored businesses, write them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from backend.businesses.location import BusinessLocator
from backend.businesses.refs import ref_key
from backend.businesses.validation import BusinessRules, NumberPolicy
from backend.extensions import db
from backend.geo.geocoding import Location, locate_address
from backend.imports.business_fields import (
    COLUMNS,
    BusinessRow,
    StoredBusiness,
    defaults,
)
from backend.imports.business_store import (
    READ_BATCH,
    ImportConflict,
    load_stored,
    write_businesses,
)
from backend.imports.report import ErrorList, RowError
from backend.imports.row_errors import repeated_key_errors
from backend.imports.run import Changes, NumberedRows, Prepare
from backend.organisations.models import GuildAssociation
from backend.reference.catalogue import trades_by_slug
from backend.search.data_version import businesses_changed_since, read_data_version


def business_steps(
    max_radius_km: float,
    geocoder_url: str | None,
    geocoder_user_agent: str,
    geocoder_timeout: float | None,
) -> Prepare:
    """How to prepare a business import for a guild, with the caller's limits and geocoder."""
    geocoder: dict[str, Any] = {"geocoder_url": geocoder_url, "user_agent": geocoder_user_agent}
    if geocoder_timeout is not None:
        geocoder["timeout"] = geocoder_timeout
    return partial(
        BusinessSteps.prepare,
        max_radius_km=max_radius_km,
        locate=partial(locate_address, **geocoder),
    )


class BusinessSteps:
    """Validates business rows against the guild's stored businesses, and writes them."""

    action = "import_businesses"
    columns = COLUMNS

    def __init__(
        self,
        guild_id: int,
        parser: BusinessRules,
        locator: BusinessLocator,
        started_at_version: int,
    ) -> None:
        self.guild_id = guild_id
        self.parser = parser
        self.locator = locator
        # Stored businesses are read as the rows come; one changed by anybody else after
        # this version is a conflict, however early or late in the file it stands.
        self.started_at_version = started_at_version

    @classmethod
    def prepare(
        cls,
        guild: GuildAssociation,
        *,
        max_radius_km: float,
        locate: Callable[..., Location],
    ) -> BusinessSteps:
        """Load the trades (the stored businesses are read by the refs of the file)."""
        trades = {slug: ref.id for slug, ref in trades_by_slug().items()}
        parser = BusinessRules(max_radius_km, trades, NumberPolicy.of(guild))
        started = read_data_version(db.session.connection())
        return cls(guild.id, parser, BusinessLocator(locate), started or 0)

    def validate(self, rows: NumberedRows) -> tuple[Changes, list[RowError]]:
        """Parse and locate every row, refuse repeated refs; what the valid rows would change."""
        valid, errors = self._valid_rows(rows)
        changes = Changes()
        for row in valid:
            if row.stored is None:
                changes.created.append(row)
            elif row.changed:
                changes.updated.append((row, row.stored))
            else:
                changes.unchanged += 1
        return changes, errors

    def _valid_rows(self, rows: NumberedRows) -> tuple[list[BusinessRow], list[RowError]]:
        new = defaults()
        valid: list[BusinessRow] = []
        errors: list[RowError] = ErrorList()  # bounded: a file of junk is not kept whole
        lines_by_key: dict[str, list[int]] = {}
        spelled: dict[str, str] = {}  # a ref as first written, for the duplicate's message
        for batch in _batches(rows, READ_BATCH * 10):
            parsed = [(line, row, *self.parser.parse(line, row)) for line, row in batch]
            refs = [values["ref"] for *_, values, _, _ in parsed if values.get("ref") is not None]
            stored = load_stored(self.guild_id, refs)
            for line, row, values, trade_ids, row_errors in parsed:
                ref = values.get("ref")
                key = ref_key(ref) if ref is not None else None
                if key is not None:
                    lines_by_key.setdefault(key, []).append(line)
                    spelled.setdefault(key, ref)
                current = stored.get(key) if key is not None else None
                record = self._located(line, row, values, row_errors, current, new, errors)
                if record is not None:
                    assert trade_ids is not None
                    valid.append(BusinessRow(line, record, trade_ids, current))
        duplicates = repeated_key_errors(
            {spelled[key]: lines for key, lines in lines_by_key.items()},
            "ref",
            "duplicate ref '{key}': also on line {others} (case does not count)",
            "doppelte ref „{key}“: auch in Zeile {others} (Groß-/Kleinschreibung zählt nicht)",
            key_is_value=True,
        )
        if duplicates:
            bad = {error.line for error in duplicates}
            valid = [row for row in valid if row.line not in bad]
            errors.extend(duplicates)
        return valid, errors

    def _located(
        self,
        line: int,
        row: dict[str, str],
        values: dict[str, Any],
        row_errors: list[RowError],
        current: StoredBusiness | None,
        new: dict[str, Any],
        errors: list[RowError],
    ) -> dict[str, Any] | None:
        """The row's full record, located; None (errors added) when it is not valid."""
        if not row_errors:
            record = {**(current.values if current else new), **values}
            row_errors = self.locator.locate(line, row, record, current.values if current else None)
            if not row_errors:
                return record
        errors.extend(row_errors)
        return None

    def write(self, changes: Changes) -> None:
        """Insert the new and update the changed businesses of the guild."""
        ids = [stored.id for _, stored in changes.updated]
        if businesses_changed_since(db.session.connection(), self.started_at_version, ids):
            raise ImportConflict(
                "some businesses were changed by someone else while the import ran; "
                "nothing was written, please import again"
            )
        write_businesses(self.guild_id, changes.created, changes.updated)


def _batches(rows: NumberedRows, size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
    """The rows in lists of ``size``: the stored businesses are read for each list."""
    batch: list[tuple[int, dict[str, str]]] = []
    for numbered in rows:
        batch.append(numbered)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
