"""What the imports do with bad rows alike: one order of errors, and lines that repeat a key."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from backend.services.csv_io import RowError

K = TypeVar("K", bound=Hashable)


def sorted_errors(errors: Iterable[RowError], columns: Sequence[str]) -> list[RowError]:
    """Errors in file order, and within a line in column order (whole-line errors first)."""
    order = {name: index for index, name in enumerate(columns)}
    return sorted(errors, key=lambda e: (e.line, order.get(e.column or "", -1)))


def repeated(lines_by_key: Mapping[K, list[int]]) -> Iterator[tuple[K, int, str]]:
    """``(key, line, the other lines as text)`` for each line whose key is on other lines too."""
    for key, lines in lines_by_key.items():
        if len(lines) < 2:
            continue
        for line in lines:
            yield key, line, ", ".join(str(other) for other in lines if other != line)
