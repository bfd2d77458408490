"""Tokens of the ``opening_hours`` subset, and the error type with English and German text.

Unsupported constructs are recognised here by name so the error can say what is
not supported rather than just "unexpected character".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

WEEKDAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
# German abbreviations users are likely to type instead of the English OSM ones.
_GERMAN_WEEKDAYS = {"di": "Tu", "mi": "We", "do": "Th", "so": "Su"}
_UNSUPPORTED_WORDS = {
    "unknown": ("the modifier 'unknown'", "der Zusatz 'unknown'"),
    "sh": ("school holidays (SH)", "Schulferien (SH)"),
    "easter": ("'easter'", "'easter'"),
    "week": ("week numbers", "Kalenderwochen"),
    **dict.fromkeys(("sunrise", "sunset", "dawn", "dusk"), ("sun times", "Sonnenzeiten")),
    **dict.fromkeys(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        ("months and dates", "Monate und Kalenderdaten"),
    ),
}
_UNSUPPORTED_CHARS = {
    "|": ("fallback rules ('||')", "Ausweichregeln ('||')"),
    '"': ("comments in quotes", "Kommentare in Anführungszeichen"),
    "[": ("nth weekdays like 'Mo[1]'", "n-te Wochentage wie 'Mo[1]'"),
    "+": ("open end times like '18:00+'", "offene Endzeiten wie '18:00+'"),
    "/": ("repeating times like '10:00-16:00/30'", "Wiederholungen wie '10:00-16:00/30'"),
    "(": ("variable times", "variable Zeiten"),
}
_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)|(?P<always>24/7)|(?P<time>[0-9]+:[0-9]+)|(?P<number>[0-9]+)"
    r"|(?P<word>[^\W\d_]+)|(?P<sep>\|\||[,;])|(?P<dash>-)|(?P<other>.)",
    re.DOTALL,
)


class HoursSyntaxError(ValueError):
    """An opening-hours expression outside the supported syntax.

    ``message`` is English, ``message_de`` plain German for guild staff; both name the
    position counted from 1. ``position`` is the 0-based character offset into the
    expression exactly as the caller passed it (for highlighting in a form).
    """

    def __init__(self, message: str, message_de: str, position: int) -> None:
        self.message = f"{message} at position {position + 1}"
        self.message_de = f"{message_de} an Position {position + 1}"
        self.position = position
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class Token:
    """One token with its 0-based position in the original expression."""

    kind: str
    text: str
    pos: int
    spaced: bool  # whitespace right before it; decides what a comma means


def tokenize(expr: str) -> list[Token]:
    """Split ``expr`` into tokens, rejecting unsupported constructs by name."""
    tokens = []
    spaced = False
    for match in _TOKEN_RE.finditer(expr):
        kind, text, pos = match.lastgroup or "other", match.group(), match.start()
        if kind == "ws":
            spaced = True
            continue
        if kind == "word":
            kind = _classify_word(text, pos)
        elif kind == "number":
            fail(
                f"Unexpected number '{text}' (dates, years and week numbers are not supported)",
                f"Unerwartete Zahl '{text}' (Kalenderdaten, Jahreszahlen und "
                "Kalenderwochen werden nicht unterstützt)",
                pos,
            )
        elif kind == "other":
            what = _UNSUPPORTED_CHARS.get(text)
            if what:
                _unsupported(what, pos)
            fail(f"Unexpected character '{text}'", f"Unerwartetes Zeichen '{text}'", pos)
        elif text == "||":
            _unsupported(_UNSUPPORTED_CHARS["|"], pos)
        tokens.append(Token(kind, text, pos, spaced))
        spaced = False
    return tokens


def _classify_word(text: str, pos: int) -> str:
    low = text.lower()
    if low in WEEKDAYS:
        return "weekday"
    if low == "ph":
        return "ph"
    if low in ("off", "closed", "open"):
        return "modifier"
    if low in _UNSUPPORTED_WORDS:
        _unsupported(_UNSUPPORTED_WORDS[low], pos)
    if low in _GERMAN_WEEKDAYS:
        en = _GERMAN_WEEKDAYS[low]
        fail(
            f"Unknown weekday '{text}' (use the English abbreviation '{en}')",
            f"Unbekannter Wochentag '{text}' (bitte das englische Kürzel '{en}' verwenden)",
            pos,
        )
    if len(text) == 2:
        fail(f"Unknown weekday '{text}'", f"Unbekannter Wochentag '{text}'", pos)
    fail(f"Unknown word '{text}'", f"Unbekanntes Wort '{text}'", pos)


def fail(message: str, message_de: str, pos: int) -> NoReturn:
    """Raise a HoursSyntaxError for position ``pos``."""
    raise HoursSyntaxError(message, message_de, pos)


def _unsupported(what: tuple[str, str], pos: int) -> NoReturn:
    fail(f"Not supported: {what[0]}", f"Nicht unterstützt: {what[1]}", pos)
