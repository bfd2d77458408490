"""The error report of an import: each bad value where it is, and what the import did.

The CSV readers, the row checks and the console all report through these, so the CLI and
the console show the same lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["MAX_REPORTED_ERRORS", "ErrorList", "ImportReport", "RowError"]

# A report names at most this many bad values and counts the rest: a 20 MB file of junk
# would otherwise become hundreds of thousands of lines (and as many objects in memory).
MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad value: where it is, what it was and why it was refused (in English and German).

    ``column`` is None when the problem concerns the whole line (wrong number of fields,
    bytes that are not UTF-8).
    """

    line: int
    column: str | None
    value: str | None
    message: str
    message_de: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class ErrorList(list):
    """A list of at most ``limit`` errors; the ones past it are only counted (``omitted``).

    Every import collects its errors into these, so memory stays bounded however bad the
    file; ``append``, ``extend`` and ``+=`` are the only ways in.
    """

    def __init__(self, errors: Iterable[RowError] = (), limit: int = MAX_REPORTED_ERRORS):
        super().__init__()
        self.limit = limit
        self.omitted = 0
        self.extend(errors)

    def append(self, error: RowError) -> None:
        """Keep ``error`` while there is room, else count it."""
        if len(self) < self.limit:
            super().append(error)
        else:
            self.omitted += 1

    def extend(self, errors: Iterable[RowError]) -> None:
        """Append each of ``errors`` (counting those past the limit, and their omissions)."""
        for error in errors:
            self.append(error)
        self.omitted += getattr(errors, "omitted", 0)

    def __iadd__(self, errors: Iterable[RowError]) -> ErrorList:  # type: ignore[override]
        self.extend(errors)
        return self


@dataclass
class ImportReport:
    """Outcome of an import: counts of rows by effect, every bad value, and whether it was saved.

    Counts are of valid rows; when ``written`` is False they say what the import would have
    done.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    # Bad values past MAX_REPORTED_ERRORS: counted, not listed.
    omitted_errors: int = 0

    @property
    def bad_lines(self) -> list[int]:
        """Line numbers with at least one error, in file order."""
        return sorted({error.line for error in self.errors})

    def summary(self) -> str:
        """One line for people: what was (or would have been) done and what was refused."""
        line = self._summary()
        if self.omitted_errors:
            line += (
                f" {self.omitted_errors} more errors not listed (the first {len(self.errors)} are)."
            )
        return line

    def _summary(self) -> str:
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        bad = len(self.bad_lines)
        rows = f"{bad} bad row{'s' if bad != 1 else ''}"
        if self.written:
            return f"Written: {counts}" + (f"; {rows} skipped." if bad else ".")
        if self.dry_run:
            return f"Dry run, nothing written; would be {counts}" + (f"; {rows}." if bad else ".")
        if not bad:
            return "Nothing to import: no rows."
        return f"Nothing written: {rows}; the valid rows would be {counts}."
