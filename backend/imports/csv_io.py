"""CSV files as guild staff save them: reading, writing and the error report of an import.

Spreadsheets in Germany save CSV with ``;`` as the separator, sometimes with a UTF-8 byte
order mark; other tools write ``,``. Both are read here, the separator being sniffed from the
header line. Rows keep the physical line number they start on (header = line 1), so that an
error message points at the line a spreadsheet or text editor shows.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

__all__ = [
    "MAX_REPORTED_ERRORS",
    "CsvTable",
    "ErrorList",
    "ImportReport",
    "RowError",
    "check_header",
    "neutralise",
    "numbered",
    "read_csv",
    "sniff_delimiter",
    "unneutralise",
    "write_csv",
]
_QUOTED = re.compile(r'"[^"]*"')
# A spreadsheet runs a cell beginning with one of these as a formula (CSV injection); a
# leading apostrophe makes it text. Tab and carriage return start formulas in some, too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A report names at most this many bad values and counts the rest: a 20 MB file of junk
# would otherwise become hundreds of thousands of lines (and as many objects in memory).
MAX_REPORTED_ERRORS = 1000
_CHUNK = 1 << 18  # bytes read at a time when checking that a file is UTF-8


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


@dataclass
class CsvTable:
    """A decoded CSV file: header (stripped, lower-case) and rows with their line numbers.

    ``rows`` is read lazily, once; bad lines met on the way are appended to ``errors``, so
    read ``errors`` only after the rows.
    """

    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]
    errors: list[RowError]
    delimiter: str


def _utf8_errors(stream: IO[bytes]) -> list[RowError]:
    """Check, a chunk at a time, that the file is UTF-8; else name every line that is not."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return []
    except UnicodeDecodeError:
        pass
    stream.seek(0)
    errors = ErrorList()
    for number, raw in enumerate(stream, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            value = raw[max(exc.start - 10, 0) : exc.end + 10].decode("utf-8", "replace")
            errors.append(
                RowError(
                    number,
                    None,
                    value.strip(),
                    "the file is not UTF-8 (saved as Windows-1252/ANSI?); save it as "
                    "'CSV UTF-8' and import it again",
                    "Die Datei ist nicht UTF-8-kodiert (als Windows-1252/ANSI gespeichert?); "
                    "bitte als „CSV UTF-8“ speichern und erneut importieren",
                )
            )
    return errors


def _text(stream: IO[bytes]) -> io.TextIOWrapper:
    """The file as text, decoded as it is read (the bytes need not all be in memory)."""
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def sniff_delimiter(header_line: str) -> str:
    """``;`` when the header line holds more semicolons than commas (outside quotes), else ``,``."""
    bare = _QUOTED.sub("", header_line)
    return ";" if bare.count(";") > bare.count(",") else ","


def read_csv(stream: IO[bytes]) -> CsvTable:
    """Read a CSV file from a binary stream: the header now, the rows when iterated.

    Blank lines and lines of empty cells are skipped; a row with more or fewer fields than the
    header is reported and left out. Values are returned as written (not stripped); header
    names are stripped and lower-cased. The file is read as the rows are (a seekable
    stream is never held in memory whole); errors are an :class:`ErrorList`.
    """
    if not stream.seekable():
        stream = io.BytesIO(stream.read())
    start = stream.tell()
    errors = _utf8_errors(stream)
    if errors:
        return CsvTable([], iter(()), errors, ",")
    stream.seek(start)
    text = _text(stream)
    first_line = next((line for line in text if line.strip()), "")
    text.detach()  # leaves the stream open, to be read again from the start
    stream.seek(start)
    delimiter = sniff_delimiter(first_line)
    text = _text(stream)
    reader = csv.reader(text, delimiter=delimiter)
    errors = ErrorList()
    header: list[str] = []
    line = 0
    for record in reader:
        line = reader.line_num
        if record and any(cell.strip() for cell in record):
            header = [name.strip().lower() for name in record]
            break
    if not header:
        errors.append(RowError(1, None, None, "the file is empty", "Die Datei ist leer"))
    rows = _detaching(text, _records(reader, header, line, errors, delimiter))
    return CsvTable(header, rows, errors, delimiter)


def _detaching(text: io.TextIOWrapper, rows: Iterator[Any]) -> Iterator[Any]:
    """``rows``, then the text layer let go: the caller's stream is the caller's to close."""
    try:
        yield from rows
    finally:
        # ValueError: the caller closed the stream before the rows were all read.
        with contextlib.suppress(ValueError):
            text.detach()


def _records(
    reader: Any, header: list[str], previous_end: int, errors: list[RowError], delimiter: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows after the header, each with the physical line it starts on."""
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank line, or ";;;;" left behind by a spreadsheet
            if len(record) != len(header):
                errors.append(_field_count_error(start, record, len(header), delimiter))
                continue
            yield start, dict(zip(header, record, strict=True))
    except csv.Error as exc:
        errors.append(
            RowError(
                reader.line_num,
                None,
                None,
                f"the file cannot be read as CSV: {exc}",
                f"Die Datei ist kein lesbares CSV: {exc}",
            )
        )


def _field_count_error(line: int, record: list[str], expected: int, delimiter: str) -> RowError:
    hint = ""
    hint_de = ""
    if len(record) > expected:
        hint = f" (a value containing '{delimiter}' must be enclosed in double quotes)"
        hint_de = f" (ein Wert mit „{delimiter}“ muss in doppelte Anführungszeichen)"
    return RowError(
        line,
        None,
        delimiter.join(record)[:200],
        f"has {len(record)} fields but the header has {expected}{hint}",
        f"hat {len(record)} Felder, die Kopfzeile aber {expected}{hint_de}",
    )


def check_header(
    header: Sequence[str], known: Sequence[str], required: Iterable[str]
) -> list[RowError]:
    """Errors (on line 1) for unknown, repeated and missing columns.

    Columns without a name are ignored: spreadsheets add them after cells that were once used.
    """
    errors = []
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name in seen:
            errors.append(
                RowError(
                    1,
                    name,
                    name,
                    f"column '{name}' appears more than once",
                    f"Spalte „{name}“ kommt mehrfach vor",
                )
            )
        elif name not in known:
            errors.append(
                RowError(
                    1,
                    name,
                    name,
                    f"unknown column '{name}' (known: {', '.join(known)})",
                    f"unbekannte Spalte „{name}“ (bekannt: {', '.join(known)})",
                )
            )
        seen.add(name)
    for name in required:
        if name not in seen:
            errors.append(
                RowError(
                    1,
                    name,
                    None,
                    f"required column '{name}' is missing",
                    f"Pflichtspalte „{name}“ fehlt",
                )
            )
    return errors


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: ``'`` before a formula's first character.

    ``+49394112345`` becomes ``'+49394112345``; the imports read it back unchanged
    (:func:`unneutralise`), so an export still imports to the same data.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def unneutralise(cell: str) -> str:
    """The cell :func:`neutralise` was given (other cells unchanged)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def write_csv(
    stream: IO[str],
    header: Sequence[str],
    rows: Iterable[Mapping[str, str] | Sequence[str]],
    *,
    excel: bool = False,
) -> int:
    """Write a UTF-8 CSV with a header line; returns the number of data rows.

    Separated by ``,`` for machines; with ``excel``, by ``;`` after a byte order mark, as
    German Excel opens a double-clicked file. Every cell is :func:`neutralise` d either way.
    """
    writer = csv.writer(
        stream, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n"
    )
    if excel:
        stream.write("\ufeff")
    writer.writerow([neutralise(name) for name in header])
    count = 0
    for row in rows:
        cells = [row[name] for name in header] if isinstance(row, Mapping) else row
        writer.writerow([neutralise(str(cell)) for cell in cells])
        count += 1
    return count


def numbered(rows: Iterable[Mapping[str, str]], first_line: int) -> Iterator[tuple[int, Mapping]]:
    """Pair mappings with consecutive line numbers starting at ``first_line``."""
    return enumerate(rows, start=first_line)
