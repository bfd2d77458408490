"""A preview of a business's hours for the console: open now, the next change, a week of bars.

Judged by the search's own rules (:mod:`backend.hours.availability`), in Europe/Berlin,
with the public holidays of the business's Land marked. Roster shifts are not part of the
preview: it shows what the hours fields say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from backend.hours import BERLIN, HoursSyntaxError, compile_hours
from backend.hours.availability import HoursSpec, describe_availability
from backend.hours.holidays import is_public_holiday

LOOKAHEAD = timedelta(days=14)
WEEKDAYS_DE = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_FIELDS = ("opening_hours", "emergency_hours")


@dataclass(frozen=True, slots=True)
class Bar:
    """An open span of one day in minutes from midnight, and which hours it belongs to."""

    start: int
    end: int
    kind: str  # "opening_hours" | "emergency_hours"

    @property
    def label(self) -> str:
        """``07:00–17:00``."""
        return f"{_clock(self.start)}–{_clock(self.end)}"


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the week drawn: its date, whether it is a public holiday, its bars."""

    day: date
    holiday: bool
    bars: tuple[Bar, ...]

    @property
    def weekday_de(self) -> str:
        """``Sa``."""
        return WEEKDAYS_DE[self.day.weekday()]

    @property
    def weekday_en(self) -> str:
        """``Sat``."""
        return WEEKDAYS_EN[self.day.weekday()]


@dataclass(slots=True)
class HoursPreview:
    """What the hours say at ``at``: open now, the next change, a week; or the syntax errors."""

    at: datetime
    open_now: bool = False
    next_change: datetime | None = None
    days: list[Day] = field(default_factory=list)
    errors: dict[str, HoursSyntaxError] = field(default_factory=dict)

    def next_change_de(self) -> str | None:
        """``Sa 12:00`` (or ``Sa 27.12. 12:00`` beyond the coming week)."""
        return _when(self.next_change, WEEKDAYS_DE, self.at)

    def next_change_en(self) -> str | None:
        """``Sat 12:00``."""
        return _when(self.next_change, WEEKDAYS_EN, self.at)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _when(moment: datetime | None, names: tuple[str, ...], at: datetime) -> str | None:
    if moment is None:
        return None
    local = moment.astimezone(BERLIN)
    day = "" if local - at < timedelta(days=6) else f" {local:%d.%m.}"
    return f"{names[local.weekday()]}{day} {local:%H:%M}"


def preview_hours(
    opening_hours: str | None,
    emergency_hours: str | None,
    land: str,
    at: datetime,
    week_start: date | None = None,
) -> HoursPreview:
    """The preview at ``at`` of the week from ``week_start`` (default: the day of ``at``)."""
    at = at.astimezone(BERLIN)
    preview = HoursPreview(at=at)
    expressions = {"opening_hours": opening_hours or None, "emergency_hours": emergency_hours}
    schedules = {}
    for name, expression in expressions.items():
        if not expression:
            continue
        try:
            schedules[name] = compile_hours(expression, land)
        except HoursSyntaxError as exc:
            preview.errors[name] = exc
    if preview.errors:
        return preview
    spec = HoursSpec(land, expressions["opening_hours"], expressions["emergency_hours"])
    availability = describe_availability(spec, (), at, LOOKAHEAD)
    preview.open_now = availability.available
    preview.next_change = (
        availability.available_until if availability.available else availability.next_available
    )
    first = week_start or at.date()
    for offset in range(7):
        day = first + timedelta(days=offset)
        start = datetime.combine(day, time(), BERLIN)
        end = datetime.combine(day + timedelta(days=1), time(), BERLIN)
        bars = []
        for name, schedule in schedules.items():
            for low, high in schedule.open_intervals(start, end):
                # Minutes of the wall clock; a span to midnight ends at 24:00.
                begin = low.hour * 60 + low.minute
                finish = 1440 if high.date() > day else high.hour * 60 + high.minute
                bars.append(Bar(begin, finish, name))
        preview.days.append(Day(day, is_public_holiday(land, day), tuple(bars)))
    return preview
