"""Single cells of an import file: stripped text in, a stored value out (or FieldError).

Each parser takes the stripped cell text; an empty cell means "no value" unless the
parser says otherwise. :func:`to_text` is the way back, for exports that import again
unchanged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from backend.businesses.phones import PhoneNumberError, business_phone
from backend.imports.csv_write import unneutralise

MAX_PRICE = Decimal("999999.99")
KEEP = object()  # a parser's answer for "empty cell: keep the stored value"

_TRUE = frozenset({"ja", "j", "yes", "y", "true", "wahr", "1", "x"})
_FALSE = frozenset({"nein", "n", "no", "false", "falsch", "0", ""})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_CENT = Decimal("0.01")


class FieldError(ValueError):
    """A cell that cannot be stored, with the reason in English and German."""

    def __init__(self, message: str, message_de: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_de = message_de


def _not_empty() -> FieldError:
    return FieldError("must not be empty", "darf nicht leer sein")


def cell_text(cell: Any) -> str:
    """The stripped text of a cell as a row holds it (``None`` reads as empty).

    A cell an export neutralised against spreadsheet formulas (``'+4939...``) reads as
    the value it was (``+4939...``).
    """
    return "" if cell is None else unneutralise(str(cell).strip()).strip()


def text(max_length: int, *, required: bool = False) -> Callable[[str], str | None]:
    """A parser of free text of at most ``max_length`` characters."""

    def parse(raw: str) -> str | None:
        if not raw:
            if required:
                raise _not_empty()
            return None
        if len(raw) > max_length:
            raise FieldError(
                f"is longer than {max_length} characters", f"ist länger als {max_length} Zeichen"
            )
        return raw

    return parse


def number(raw: str) -> float:
    """A decimal number written with a point or a German decimal comma."""
    cleaned = raw.replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise FieldError(f"'{raw}' is not a number", f"„{raw}“ ist keine Zahl")
    return value


def coordinate(low: float, high: float, name: str) -> Callable[[str], float | None]:
    """A parser of a latitude or longitude (``name``) that must lie within low..high."""

    def parse(raw: str) -> float | None:
        if not raw:
            return None
        value = number(raw)
        if not low <= value <= high:
            raise FieldError(
                f"{name} {raw} lies outside Germany ({low} to {high}; lat and lon swapped?)",
                f"{name} {raw} liegt außerhalb Deutschlands ({low} bis {high}; lat und lon "
                "vertauscht?)",
            )
        return value

    return parse


def postcode(raw: str) -> str | None:
    """A five-digit postcode; four digits get back the leading zero a spreadsheet dropped."""
    if not raw:
        return None
    code = raw.replace(" ", "")
    # Spreadsheets drop the leading zero of Saxon and Thuringian codes ("1067" for 01067).
    if len(code) == 4 and code.isdigit():
        code = "0" + code
    if not (len(code) == 5 and code.isdigit()):
        raise FieldError(
            f"'{raw}' is not a postcode (five digits)",
            f"„{raw}“ ist keine Postleitzahl (fünf Ziffern)",
        )
    return code


def phone(
    *,
    required: bool = False,
    mobile: bool = False,
    allow_premium: bool = False,
    allow_foreign: bool = False,
) -> Callable[[str], str | None]:
    """A parser of a business's phone numbers, stored in E.164 (see ``business_phone``)."""

    def parse(raw: str) -> str | None:
        if not raw:
            if required:
                raise _not_empty()
            return None
        try:
            return business_phone(
                raw, mobile=mobile, allow_premium=allow_premium, allow_foreign=allow_foreign
            )
        except PhoneNumberError as exc:
            raise FieldError(exc.message, exc.message_de) from None

    return parse


def email(raw: str) -> str | None:
    """An e-mail address (a plausibility check, not RFC 5322)."""
    if not raw:
        return None
    if len(raw) > 254 or not _EMAIL.fullmatch(raw):
        raise FieldError(f"'{raw}' is not an e-mail address", f"„{raw}“ ist keine E-Mail-Adresse")
    return raw


def website(raw: str) -> str | None:
    """An http(s) address with a dotted host name."""
    if not raw:
        return None
    parts = urlsplit(raw)
    host = parts.hostname or ""
    if (
        parts.scheme not in ("http", "https")
        or "." not in host
        or any(ch.isspace() for ch in raw)
        or len(raw) > 300
    ):
        raise FieldError(
            f"'{raw}' is not a web address starting with http:// or https:// "
            "(e.g. https://www.example.de)",
            f"„{raw}“ ist keine Webadresse mit http:// oder https:// "
            "(z. B. https://www.example.de)",
        )
    return raw


def boolean(raw: str) -> bool:
    """Yes or no in German or English, 1/0, or x/empty as a spreadsheet's tick."""
    word = raw.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise FieldError(
        f"'{raw}' is not yes or no (use ja/nein, true/false, 1/0, or x/empty)",
        f"„{raw}“ ist weder ja noch nein (erlaubt: ja/nein, true/false, 1/0 oder x/leer)",
    )


def price(raw: str) -> Decimal | None:
    """An amount in euros, with or without € or EUR, at most two decimal places."""
    cleaned = raw.replace("€", "").replace("EUR", "").replace(" ", "")
    if not cleaned:
        return None
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise FieldError(
            f"'{raw}' is not an amount in euros (e.g. 89,50)",
            f"„{raw}“ ist kein Euro-Betrag (z. B. 89,50)",
        ) from None
    if not value.is_finite() or value < 0 or value > MAX_PRICE:
        raise FieldError(
            f"'{raw}' must be between 0 and {MAX_PRICE} euros",
            f"„{raw}“ muss zwischen 0 und {MAX_PRICE} Euro liegen",
        )
    if value != value.quantize(_CENT):
        raise FieldError(
            f"'{raw}' has more than two decimal places",
            f"„{raw}“ hat mehr als zwei Nachkommastellen",
        )
    return value.quantize(_CENT)


def to_text(value: Any) -> str:
    """Text of a stored value as the parsers above read it back unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
