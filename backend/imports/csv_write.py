"""CSV files for spreadsheets and machines, with formula cells neutralised (CSV injection)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO

__all__ = ["neutralise", "unneutralise", "write_csv"]

# A spreadsheet runs a cell beginning with one of these as a formula (CSV injection); a
# leading apostrophe makes it text. Tab and carriage return start formulas in some, too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
