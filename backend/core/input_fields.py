"""Strict marshmallow fields for the API: only the spellings the OpenAPI document states.

Python's own parsers are generous where a public API must not be: ``float("5_1")`` is
51.0, ``int("٥١")`` (Arabic-Indic digits) is 51, ``re.match(r"^\\d{5}$", "38820\\n")``
matches, and marshmallow's Boolean takes ``0``, ``"on"`` or ``"yes"``. Each of those would
be answered as if the client had meant something it may not have meant; these fields
refuse them with a message naming the accepted form.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import fields, validate

# The largest id any table holds: PostgreSQL's INTEGER (SQLite would take 2^63 - 1).
DB_INT_MAX = 2**31 - 1

# ASCII digits only, no underscores, no "nan"/"inf" (JSON's number grammar plus a sign).
_DECIMAL = re.compile(r"\A[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_INTEGER = re.compile(r"\A[+-]?[0-9]+\Z")


class StrictFloat(fields.Float):
    """A number written with ASCII digits (``51.8958``, ``-1e-3``), never a bool."""

    default_error_messages = {  # noqa: RUF012 (marshmallow merges these per class)
        "invalid": "Not a number: write ASCII digits with an optional sign and '.', e.g. 51.8958.",
        "special": "Not a number: write ASCII digits with an optional sign and '.', e.g. 51.8958.",
    }

    def _deserialize(self, value: Any, attr, data, **kwargs):
        if isinstance(value, bool) or (isinstance(value, str) and not _DECIMAL.match(value)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class StrictInteger(fields.Integer):
    """A whole number: ASCII digits in a query, never a bool or ``1.0``.

    With ``text=False`` (JSON bodies) only a JSON integer: ``"1"`` is refused too.
    """

    default_error_messages = {  # noqa: RUF012
        "invalid": "Not a whole number: write ASCII digits, e.g. 42.",
    }

    def __init__(self, *, text: bool = True, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)
        self.text = text

    def _deserialize(self, value: Any, attr, data, **kwargs):
        if isinstance(value, bool) or (isinstance(value, str) and not self.text):
            raise self.make_error("invalid")
        if isinstance(value, str):
            if not _INTEGER.match(value):
                raise self.make_error("invalid")
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)


class StrictBoolean(fields.Boolean):
    """``true`` or ``false`` as JSON booleans; ``0``, ``1``, ``"yes"`` or ``"true"`` are refused."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "Not a boolean: send true or false (JSON booleans, not 0/1 or text).",
    }

    def _deserialize(self, value: Any, attr, data, **kwargs) -> bool:
        # `1 in {True}` holds in Python, so marshmallow's truthy sets cannot express this.
        if value is True or value is False:
            return value
        raise self.make_error("invalid")


class FullMatch(validate.Regexp):
    """A regular expression the whole value must match (``$`` alone lets a final "\\n" in).

    Write the pattern in the subset Python and ECMA 262 share, with ASCII classes
    (``[0-9]``, not ``\\d``): the OpenAPI document states it as it is.
    """

    def __call__(self, value: str) -> str:
        if not isinstance(value, str) or self.regex.fullmatch(value) is None:
            raise validate.ValidationError(self._format_error(value))
        return value


def id_field(**kwargs: Any) -> StrictInteger:
    """A database id in a JSON body: 1 to :data:`DB_INT_MAX` (no larger one exists: 422)."""
    return StrictInteger(
        text=False,
        validate=validate.Range(1, DB_INT_MAX, error=f"An id is between 1 and {DB_INT_MAX}."),
        **kwargs,
    )
