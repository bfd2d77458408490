"""The course every import takes, whatever its rows are.

Read the rows (from mappings or a CSV file), validate all of them, report, then write all
valid rows in one transaction with one audit entry, or nothing at all: nothing is written
on a dry run, when there are no valid rows, or when any row is bad unless the caller asked
to keep the valid ones.

An import owns the session's transaction: it commits what it wrote, and rolls back when it
writes nothing (dry run, bad rows) or fails, so call it with no other changes pending.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import IO, Any, Protocol

from backend.audit.operations import Actor, record_change
from backend.extensions import db
from backend.imports.csv_read import numbered, read_csv
from backend.imports.report import ErrorList, ImportReport, RowError
from backend.imports.row_errors import sorted_errors
from backend.organisations.models import GuildAssociation
from backend.organisations.operations import get_guild

NumberedRows = Iterable[tuple[int, Mapping[str, Any]]]
HeaderCheck = Callable[[Iterable[str]], list[RowError]]


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the caller asked for: who imports, from which file, and what to write."""

    actor: str | Actor  # a name, or a console person with the grant they act under
    dry_run: bool = False
    keep_valid: bool = False
    source: str | None = None


@dataclass(slots=True)
class Changes:
    """What the valid rows would do: items to create, items to update, how many are unchanged."""

    created: list[Any] = field(default_factory=list)
    updated: list[Any] = field(default_factory=list)
    unchanged: int = 0

    @property
    def valid(self) -> int:
        """How many valid rows there are."""
        return len(self.created) + len(self.updated) + self.unchanged


class ImportSteps(Protocol):
    """The part of an import that knows its rows, made for one guild before rows are read."""

    action: str  # the audit log's name for the import
    columns: Sequence[str]  # the file's columns: errors within a line follow this order

    def validate(self, rows: NumberedRows) -> tuple[Changes, list[RowError]]:
        """Read all ``rows`` (line number, mapping): what they would change, and the errors."""
        ...

    def write(self, changes: Changes) -> None:
        """Write ``changes`` to the session (not committed)."""
        ...


Prepare = Callable[[GuildAssociation], ImportSteps]


def run_import(
    guild_slug: str,
    prepare: Prepare,
    rows: NumberedRows,
    options: ImportOptions,
    file_errors: list[RowError],
) -> ImportReport:
    """Validate everything, then write all valid rows to the session (or nothing).

    Written means flushed: the caller commits (see :mod:`backend.core.database`).

    ``file_errors`` are bad lines found while reading the file (filled as ``rows`` are
    read); they block the write like bad rows do. Raises
    :class:`~backend.organisations.operations.OrganisationError` for an unknown guild.
    """
    guild = get_guild(guild_slug)
    steps = prepare(guild)
    changes, errors = steps.validate(rows)
    collected = ErrorList(file_errors)
    collected.extend(errors)
    report = ImportReport(
        created=len(changes.created),
        updated=len(changes.updated),
        unchanged=changes.unchanged,
        errors=sorted_errors(collected, steps.columns),
        dry_run=options.dry_run,
        omitted_errors=collected.omitted,
    )
    if options.dry_run or (collected and not options.keep_valid) or not changes.valid:
        return report
    # A savepoint: a failed write leaves nothing half-written, and the caller's own
    # work in the same session untouched.
    with db.session.begin_nested():
        steps.write(changes)
        _audit(steps.action, guild, report, options)
    report.written = True
    return report


def _audit(
    action: str, guild: GuildAssociation, report: ImportReport, options: ImportOptions
) -> None:
    record_change(
        options.actor,
        action,
        guild,
        {
            "file": options.source,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "bad_rows": len(report.bad_lines),
            "keep_valid": options.keep_valid,
        },
    )


def import_mappings(
    rows: Iterable[Mapping[str, str]],
    guild_slug: str,
    prepare: Prepare,
    options: ImportOptions,
    *,
    first_line: int,
    header_errors: HeaderCheck | None = None,
) -> ImportReport:
    """Import mappings of column name to cell text; row ``i`` (from 0) is line ``first_line + i``.

    With ``header_errors``, the keys of the first row are checked like a file's header, and
    column problems are reported on the first row.
    """
    if header_errors is not None:
        rows = iter(rows)  # read once, lazily: a generator of 100,000 rows need not be a list
        first = next(rows, None)
        if first is not None and (errors := header_errors(first.keys())):
            return ImportReport(
                errors=[replace(error, line=first_line) for error in errors],
                dry_run=options.dry_run,
            )
        rows = chain([first] if first is not None else [], rows)
    return run_import(guild_slug, prepare, numbered(rows, first_line), options, [])


def import_csv(
    stream: IO[bytes],
    guild_slug: str,
    prepare: Prepare,
    options: ImportOptions,
    *,
    header_errors: HeaderCheck,
) -> ImportReport:
    """Import a CSV file (UTF-8 with or without BOM, ``,`` or ``;``).

    Errors carry physical line numbers (header = line 1). A damaged file (not UTF-8, bad
    header, rows with the wrong number of fields) is reported like bad rows. Without a
    ``source`` in ``options`` the stream's name (if any) is logged.
    """
    table = read_csv(stream)
    if not table.header:  # empty, or not UTF-8
        return ImportReport(errors=table.errors, dry_run=options.dry_run)
    if errors := header_errors(table.header):
        return ImportReport(errors=errors, dry_run=options.dry_run)
    options = replace(options, source=options.source or getattr(stream, "name", None))
    return run_import(guild_slug, prepare, table.rows, options, table.errors)
