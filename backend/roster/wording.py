"""German wording shared by the printed notice, the newspaper text and the calendars."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from backend.hours import BERLIN
from backend.hours.availability import Interval

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
)  # fmt: skip
EMERGENCY_LINES = (
    "Notruf 112: Feuer, Verletzte, Wasser in der Nähe von Strom, Funken oder Brandgeruch.",
    "Polizei 110.",
)


def long_date(day: date) -> str:
    """``Montag, 7. Dezember 2026``."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}"


def clock(instant: datetime) -> str:
    """``18:00`` in Berlin time."""
    return instant.astimezone(BERLIN).strftime("%H:%M")


def span_text(span: Interval, *, with_day: bool = False) -> str:
    """A reachable span: ``08:00–20:00`` within a day (24:00 at its end), else with days.

    Across days, or with ``with_day``: ``Fr 18:00 – Mo 07:00``, ``Sa 08:00–12:00``.
    """
    low, high = (value.astimezone(BERLIN) for value in span)
    end_day = high.date()
    if high.hour == 0 and high.minute == 0 and end_day > low.date():
        end_day, end_clock = end_day - timedelta(days=1), "24:00"
    else:
        end_clock = clock(high)
    first = WEEKDAYS[low.weekday()][:2]
    if end_day == low.date():
        return f"{first} {clock(low)}–{end_clock}" if with_day else f"{clock(low)}–{end_clock}"
    return f"{first} {clock(low)} – {WEEKDAYS[end_day.weekday()][:2]} {end_clock}"


def km(distance: float) -> str:
    """``3,2 km`` (German decimal comma)."""
    return f"{distance:.1f} km".replace(".", ",")


def percent(share: float) -> str:
    """``98,5 %`` for a share of 0.985."""
    return f"{100 * share:.1f} %".replace(".", ",")
