"""CSV files as guild staff save them: reading them, with every bad line in the report.

Spreadsheets in Germany save CSV with ``;`` as the separator, sometimes with a UTF-8 byte
order mark; other tools write ``,``. Both are read here, the separator being sniffed from the
header line. Rows keep the physical line number they start on (header = line 1), so that an
error message points at the line a spreadsheet or text editor shows. Writing is in
:mod:`backend.imports.csv_write`, the report in :mod:`backend.imports.report`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from backend.imports.report import ErrorList, RowError

__all__ = ["CsvTable", "check_header", "numbered", "read_csv", "sniff_delimiter"]
_QUOTED = re.compile(r'"[^"]*"')
_CHUNK = 1 << 18  # bytes read at a time when checking that a file is UTF-8


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


def numbered(rows: Iterable[Mapping[str, str]], first_line: int) -> Iterator[tuple[int, Mapping]]:
    """Pair mappings with consecutive line numbers starting at ``first_line``."""
    return enumerate(rows, start=first_line)
