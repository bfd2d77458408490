"""What the imports do with bad rows alike: one order of errors, and lines that repeat a key."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from backend.imports.report import RowError

K = TypeVar("K", bound=Hashable)


def sorted_errors(errors: Iterable[RowError], columns: Sequence[str]) -> list[RowError]:
    """Errors in file order, and within a line in column order (whole-line errors first)."""
    order = {name: index for index, name in enumerate(columns)}
    return sorted(errors, key=lambda e: (e.line, order.get(e.column or "", -1)))


def repeated_key_errors(
    lines_by_key: Mapping[K, list[int]],
    column: str,
    message: str,
    message_de: str,
    *,
    key_is_value: bool = False,
) -> list[RowError]:
    """An error on each line whose key stands on other lines too, naming those lines.

    ``message`` and ``message_de`` are format strings of ``{key}`` and ``{others}``; with
    ``key_is_value`` the key is also the error's value.
    """
    errors = []
    for key, lines in lines_by_key.items():
        if len(lines) < 2:
            continue
        for line in lines:
            others = ", ".join(str(other) for other in lines if other != line)
            errors.append(
                RowError(
                    line,
                    column,
                    key if key_is_value else None,
                    message.format(key=key, others=others),
                    message_de.format(key=key, others=others),
                )
            )
    return errors
