"""When a business can be reached: opening hours, emergency hours and roster shifts.

A business is available at time t when t falls in its opening hours, in its
emergency hours, or in one of its roster shifts for the asked trade. Hours are
compiled once per (expression, Land) by :mod:`backend.hours`, so a
search never re-parses them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from backend.hours import Schedule, available_window, compile_hours

Interval = tuple[datetime, datetime]
# How far ahead the first, cheap looks at the open intervals go (see describe_availability).
SHORT_WINDOWS = (timedelta(days=1), timedelta(days=3))


@dataclass(frozen=True)
class HoursSpec:
    """The hour expressions of one business and the Land whose holidays apply."""

    land: str
    opening_hours: str | None
    emergency_hours: str | None


@dataclass(frozen=True)
class Availability:
    """Availability of one business at one instant."""

    available: bool
    available_until: datetime | None
    next_available: datetime | None
    on_duty: bool


@lru_cache(maxsize=8192)
def schedules(spec: HoursSpec) -> tuple[Schedule, ...]:
    """The compiled opening and emergency hours of ``spec`` (cached: specs repeat a lot)."""
    return tuple(
        compile_hours(expr, spec.land)
        for expr in (spec.opening_hours, spec.emergency_hours)
        if expr
    )


@lru_cache(maxsize=65536)
def is_open_by_hours(spec: HoursSpec, at: datetime) -> bool:
    """True when ``at`` lies in the opening or emergency hours (roster not considered).

    Remembered per (spec, at): searches without ``at`` ask about the current minute, so
    within a minute every search asks about the same instant, for the same few hundred
    distinct hours.
    """
    return any(schedule.is_open(at) for schedule in schedules(spec))


def shift_covers(shifts: Iterable[Interval], at: datetime) -> bool:
    """True when one of the shifts ``[start, end)`` contains ``at``."""
    return any(start <= at < end for start, end in shifts)


def describe_availability(
    spec: HoursSpec, shifts: Iterable[Interval], at: datetime, lookahead: timedelta
) -> Availability:
    """Full availability at ``at``: whether, until when, or from when, within ``lookahead``.

    ``available_until`` is None when the business stays available beyond the
    look-ahead (e.g. 24/7); ``next_available`` is None when it is available now
    or does not open within the look-ahead.

    Most answers lie within a few days of ``at`` (until tonight, from Monday
    morning), so the open intervals are first listed for short windows and only
    for the whole look-ahead when those cannot decide.
    """
    # Arithmetic and comparisons in UTC: Berlin datetimes sharing one tzinfo compare by
    # wall-clock time, which is wrong in the repeated autumn hour.
    at = at.astimezone(UTC)
    shifts = list(shifts)
    on_duty = shift_covers(shifts, at)
    compiled = schedules(spec)
    horizon = at + lookahead
    if horizon > at and any(schedule.always_open for schedule in compiled):
        # Open over the whole window, so "until" lies at or beyond the horizon.
        return Availability(True, None, None, on_duty)
    # Intervals that end before ``at`` cannot change the answer, and where one began
    # does not matter: so every window starts at ``at``.
    for window in SHORT_WINDOWS:
        end = at + window
        if end >= horizon:
            break
        answer = _window_answer(compiled, shifts, at, end)
        available, until, next_start = answer
        # Decided when the interval around ``at`` ends, or the next one starts,
        # inside the window: every interval that could change that starts earlier.
        if (available and until < end) or next_start is not None:
            return _availability(answer, horizon, on_duty)
    return _availability(_window_answer(compiled, shifts, at, horizon), horizon, on_duty)


@lru_cache(maxsize=16384)
def describe_hours_availability(
    spec: HoursSpec, at: datetime, lookahead: timedelta
) -> Availability:
    """:func:`describe_availability` without roster shifts, remembered like
    :func:`is_open_by_hours`: most hits of a search were described for an earlier one.
    """
    return describe_availability(spec, (), at, lookahead)


def _window_answer(
    compiled: tuple[Schedule, ...], shifts: list[Interval], at: datetime, end: datetime
) -> tuple[bool, datetime | None, datetime | None]:
    """``available_window`` over the hours in [at, end) and the shifts that overlap it."""
    intervals: list[Interval] = [s for s in shifts if s[1] > at and s[0] < end]
    for schedule in compiled:
        intervals.extend(schedule.open_intervals(at, end))
    return available_window(at, intervals)


def _availability(
    answer: tuple[bool, datetime | None, datetime | None], horizon: datetime, on_duty: bool
) -> Availability:
    available, until, next_start = answer
    if until is not None and until >= horizon:
        until = None
    return Availability(
        available=available,
        available_until=until if available else None,
        next_available=None if available else next_start,
        on_duty=on_duty,
    )
