"""Parser for the supported subset of the OpenStreetMap ``opening_hours`` syntax.

Supported: rules joined by ``;`` (a later rule replaces earlier ones on the days it
names) and ``,`` (additional rule, painted over earlier ones); ``24/7``; weekdays
``Mo``..``Su`` with ranges (``Mo-Fr``, wrapping ``Sa-Mo``) and lists; ``PH`` as a
day; time spans ``HH:MM-HH:MM`` (lists with ``,``, crossing midnight, end up to
``48:00``); the modifiers ``open``, ``off`` and ``closed``. Everything else
(``||``, comments, months, dates, ``SH``, ``sunrise``, ``unknown``, ``+``) is
rejected with a :class:`HoursSyntaxError`, never silently misread: for emergency
availability a wrong "open" is worse than a rejected input.

Whitespace is free between tokens except around commas, where OSM tools read it
differently; those ambiguous spellings (``Mo, We``, ``08:00-12:00 , 14:00-16:00``)
are rejected with a hint. ``08:00-08:00`` is rejected too (24 hours or a typo?).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from backend.hours.lexer import WEEKDAYS, HoursSyntaxError, Token, fail, tokenize

ALL_WEEKDAYS = frozenset(range(7))
FULL_DAY = 24 * 60
__all__ = ["ALL_WEEKDAYS", "FULL_DAY", "HoursSyntaxError", "Rule", "parse_hours", "validate_hours"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: on which days, which minute spans, open or closed, joined how.

    ``spans`` hold minutes from the start of the selected day; an end above 1440
    continues into the following day.
    """

    weekdays: frozenset[int]
    holidays: bool
    spans: tuple[tuple[int, int], ...]
    is_open: bool
    additional: bool
    position: int


class _Parser:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.tokens = tokenize(expr)
        self.i = 0

    def peek(self, ahead: int = 0) -> Token | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def kind(self, ahead: int = 0) -> str | None:
        tok = self.peek(ahead)
        return tok.kind if tok else None

    def at_comma(self) -> bool:
        tok = self.peek()
        return tok is not None and tok.text == ","

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def end_pos(self) -> int:
        return len(self.expr.rstrip())

    def parse(self) -> tuple[Rule, ...]:
        if not self.tokens:
            fail("Empty expression", "Leere Angabe", 0)
        rules = [self.rule(additional=False)]
        # rule() stops only at the end or before a ';' or ',' separator.
        while self.peek() is not None:
            rules.append(self.rule(additional=self.take().text == ","))
        return tuple(rules)

    def rule(self, additional: bool) -> Rule:
        first = self.peek()
        if first is None or first.kind == "sep":
            fail("Missing rule", "Regel fehlt", first.pos if first else self.end_pos())
        start = self.i
        weekdays, holidays = ALL_WEEKDAYS, False
        spans: tuple[tuple[int, int], ...] = ((0, FULL_DAY),)
        if first.kind == "always":
            self.take()
        else:
            if first.kind in ("weekday", "ph"):
                weekdays, holidays = self.days()
            if self.kind() == "time":
                spans = self.spans()
        is_open = True
        if self.kind() == "modifier":
            is_open = self.take().text.lower() == "open"
        tok = self.peek()
        if self.i == start or (tok is not None and tok.kind != "sep"):
            tok = tok or first
            if tok.kind in ("weekday", "ph") and self.tokens[self.i - 1].kind in ("weekday", "ph"):
                fail(
                    f"Expected ',' or '-' before '{tok.text}' (a space cannot join day selectors)",
                    f"',' oder '-' fehlt vor '{tok.text}' (Tage bitte mit Komma verbinden)",
                    tok.pos,
                )
            fail(f"Unexpected '{tok.text}'", f"Unerwartetes '{tok.text}'", tok.pos)
        return Rule(weekdays, holidays, spans, is_open, additional, first.pos)

    def days(self) -> tuple[frozenset[int], bool]:
        weekdays: set[int] = set()
        holidays = False
        while True:
            tok = self.take()
            if tok.kind == "ph":
                holidays = True
            else:
                start = WEEKDAYS.index(tok.text.lower())
                stop = start
                if self.kind() == "dash":
                    self.take()
                    end_tok = self.peek()
                    if end_tok is None or end_tok.kind != "weekday":
                        self.expected("a weekday after '-'", "ein Wochentag nach '-'")
                    stop = WEEKDAYS.index(self.take().text.lower())
                # A range like Sa-Mo wraps over the end of the week.
                weekdays.update((start + k) % 7 for k in range((stop - start) % 7 + 1))
            # A comma continues the day list only when a day follows; otherwise it
            # starts an additional rule ("Mo-Fr 08:00-12:00, Sa 10:00-12:00").
            if not (self.at_comma() and self.kind(1) in ("weekday", "ph")):
                break
            comma, day = self.take(), self.peek()
            if comma.spaced or day.spaced:
                # OSM tools disagree here: opening-hours-py reads "Mo, We" as two
                # rules (all Monday open), whitespace-blind parsers as a day list.
                fail(
                    f"Ambiguous comma before '{day.text}': write day lists without spaces "
                    "('Mo,We'); for a separate rule give its times or 'open' first",
                    f"Mehrdeutiges Komma vor '{day.text}': Tage ohne Leerzeichen aufzählen "
                    "('Mo,We'); für eine eigene Regel erst Zeiten oder 'open' angeben",
                    comma.pos,
                )
        return frozenset(weekdays), holidays

    def spans(self) -> tuple[tuple[int, int], ...]:
        spans = []
        while True:
            start_tok = self.take()
            start = _minutes(start_tok, maximum=FULL_DAY - 1)
            if self.kind() != "dash":
                self.expected(f"'-' after {start_tok.text}", f"'-' nach {start_tok.text}")
            self.take()
            if self.kind() != "time":
                self.expected("an end time", "eine Endzeit")
            end_tok = self.take()
            end = _minutes(end_tok, maximum=2 * FULL_DAY)
            if end == start:
                fail(
                    f"Start and end are equal in '{start_tok.text}-{end_tok.text}' "
                    "(write 00:00-24:00 or 24/7 for the whole day)",
                    f"Beginn und Ende sind gleich in '{start_tok.text}-{end_tok.text}' "
                    "(ganztägig bitte als 00:00-24:00 oder 24/7)",
                    start_tok.pos,
                )
            # An end before the start means the span runs past midnight.
            spans.append((start, end if end > start else end + FULL_DAY))
            if not (self.at_comma() and self.kind(1) == "time"):
                return tuple(spans)
            comma = self.take()
            if comma.spaced:
                # opening-hours-py reads "08:00-12:00 , 14:00-16:00" as a second rule for
                # every day, but "08:00-12:00, 14:00-16:00" as more times on the same days.
                fail(
                    "Ambiguous space before a comma: join further times as "
                    "'08:00-12:00,14:00-16:00'",
                    "Mehrdeutiges Leerzeichen vor dem Komma: weitere Zeiten als "
                    "'08:00-12:00,14:00-16:00' anschließen",
                    comma.pos,
                )

    def expected(self, what: str, what_de: str) -> NoReturn:
        tok = self.peek()
        pos = tok.pos if tok else self.end_pos()
        fail(f"Expected {what}", f"Erwartet: {what_de}", pos)


def _minutes(tok: Token, maximum: int) -> int:
    hours_text, minutes_text = tok.text.split(":")
    if len(hours_text) <= 2 and len(minutes_text) == 2:
        hours, minutes = int(hours_text), int(minutes_text)
        if minutes <= 59 and hours * 60 + minutes <= maximum:
            return hours * 60 + minutes
    fail(f"Invalid time '{tok.text}'", f"Ungültige Uhrzeit '{tok.text}'", tok.pos)


def parse_hours(expr: str) -> tuple[Rule, ...]:
    """Parse ``expr`` into rules, or raise :class:`HoursSyntaxError`."""
    if not isinstance(expr, str):
        raise TypeError(f"opening hours must be a string, not {type(expr).__name__}")
    return _Parser(expr).parse()


def validate_hours(expr: str) -> None:
    """Raise :class:`HoursSyntaxError` unless ``expr`` is in the supported syntax."""
    parse_hours(expr)
