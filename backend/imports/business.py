"""The business import's own steps: validate rows against the stored businesses, write them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from backend.businesses.location import BusinessLocator
from backend.businesses.validation import BusinessRules
from backend.geo.geocoding import Location, locate_address
from backend.imports.business_fields import (
    COLUMNS,
    BusinessRow,
    StoredBusiness,
    defaults,
)
from backend.imports.business_store import load_stored, write_businesses
from backend.imports.csv_io import RowError
from backend.imports.row_errors import repeated_key_errors
from backend.imports.run import Changes, NumberedRows, Prepare
from backend.organisations.models import GuildAssociation
from backend.reference.catalogue import trades_by_slug


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
        stored: dict[str, StoredBusiness],
    ) -> None:
        self.guild_id = guild_id
        self.parser = parser
        self.locator = locator
        self.stored = stored

    @classmethod
    def prepare(
        cls,
        guild: GuildAssociation,
        *,
        max_radius_km: float,
        locate: Callable[..., Location],
    ) -> BusinessSteps:
        """Load the trades and the guild's stored businesses (before any row is read)."""
        trades = {slug: ref.id for slug, ref in trades_by_slug().items()}
        parser = BusinessRules(max_radius_km, trades)
        return cls(guild.id, parser, BusinessLocator(locate), load_stored(guild.id))

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
        errors: list[RowError] = []
        lines_by_ref: dict[str, list[int]] = {}
        for line, row in rows:
            values, trade_ids, row_errors = self.parser.parse(line, row)
            ref = values.get("ref")
            if ref is not None:
                lines_by_ref.setdefault(ref, []).append(line)
            current = self.stored.get(ref) if ref is not None else None
            if not row_errors:
                record = {**(current.values if current else new), **values}
                row_errors = self.locator.locate(
                    line, row, record, current.values if current else None
                )
            if row_errors:
                errors.extend(row_errors)
                continue
            assert trade_ids is not None
            valid.append(BusinessRow(line, record, trade_ids, current))
        duplicates = repeated_key_errors(
            lines_by_ref,
            "ref",
            "duplicate ref '{key}': also on line {others}",
            "doppelte ref „{key}“: auch in Zeile {others}",
            key_is_value=True,
        )
        if duplicates:
            bad = {error.line for error in duplicates}
            valid = [row for row in valid if row.line not in bad]
            errors.extend(duplicates)
        return valid, errors

    def write(self, changes: Changes) -> None:
        """Insert the new and update the changed businesses of the guild."""
        write_businesses(self.guild_id, changes.created, changes.updated)
