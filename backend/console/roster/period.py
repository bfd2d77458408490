"""The period a plan page shows (a week from Monday or a calendar month) and its timeline.

Bars are drawn in an SVG whose x axis is the period's minutes by instant (a day of a
daylight-saving switch is 23 or 25 hours long), so nothing needs inline styles or scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from backend.console.i18n import current_lang
from backend.hours import BERLIN
from backend.roster.coverage import period_bounds

VIEWS = ("week", "month")
WEEKDAYS_DE = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Bar:
    """A span drawn on the period's timeline: x and width in minutes."""

    x: int
    width: int


@dataclass(frozen=True)
class Period:
    """The days a plan page shows: ``first`` to ``last`` (inclusive), a week or a month."""

    view: str
    first: date
    last: date

    @classmethod
    def around(cls, view: str, day: date) -> Period:
        """The week (Monday to Sunday) or the calendar month that holds ``day``."""
        if view == "month":
            first = day.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            return cls("month", first, following - timedelta(days=1))
        first = day - timedelta(days=day.weekday())
        return cls("week", first, first + timedelta(days=6))

    @property
    def start(self) -> datetime:
        """The first day 00:00 Berlin."""
        return period_bounds(self.first, self.last)[0]

    @property
    def end(self) -> datetime:
        """The day after the last 00:00 Berlin."""
        return period_bounds(self.first, self.last)[1]

    @property
    def minutes(self) -> int:
        """Length of the period in minutes (the timeline's width)."""
        return _minutes_between(self.start, self.end)

    @property
    def days(self) -> list[date]:
        """Every day of the period."""
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def previous(self) -> date:
        """The first day of the period before."""
        return Period.around(self.view, self.first - timedelta(days=1)).first

    @property
    def following(self) -> date:
        """The first day of the period after."""
        return self.last + timedelta(days=1)

    def day_ticks(self) -> list[int]:
        """The x of each midnight inside the period (minutes from its start)."""
        return [_minutes_between(self.start, _midnight(day)) for day in self.days[1:]]

    def bar(self, start: datetime, end: datetime) -> Bar | None:
        """Where [start, end) lies on the timeline, clipped to the period (None outside)."""
        low = max(start.astimezone(UTC), self.start.astimezone(UTC))
        high = min(end.astimezone(UTC), self.end.astimezone(UTC))
        if high <= low:
            return None
        x = _minutes_between(self.start, low)
        return Bar(x, max(1, _minutes_between(low, high)))


def day_label(day: date, lang: str) -> str:
    """``Fr 11.12.`` (German) or ``Fri 12/11`` (English)."""
    if lang == "en":
        return f"{WEEKDAYS_EN[day.weekday()]} {day.month}/{day.day}"
    return f"{WEEKDAYS_DE[day.weekday()]} {day.day:02d}.{day.month:02d}."


def when(instant: datetime) -> str:
    """A Berlin wall-clock time as staff read it: ``Fr 11.12.2026 18:00`` (``Fri ...``)."""
    local = instant.astimezone(BERLIN)
    weekdays = WEEKDAYS_EN if current_lang() == "en" else WEEKDAYS_DE
    return f"{weekdays[local.weekday()]} {local:%d.%m.%Y %H:%M}"


def _midnight(day: date) -> datetime:
    return period_bounds(day, day)[0]


def _minutes_between(start: datetime, end: datetime) -> int:
    return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)
