"""When a business can be reached: opening hours, emergency hours and roster shifts.

A business is available at time t when t falls in its opening hours, in its
emergency hours, or in one of its roster shifts for the asked trade. Hours are
compiled once per (expression, Land) by :mod:`backend.services.hours`, so a
search never re-parses them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.services.hours import available_window, compile_hours, merge_intervals

Interval = tuple[datetime, datetime]


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


def is_open_by_hours(spec: HoursSpec, at: datetime) -> bool:
    """True when ``at`` lies in the opening or emergency hours (roster not considered)."""
    return any(
        compile_hours(expr, spec.land).is_open(at)
        for expr in (spec.opening_hours, spec.emergency_hours)
        if expr
    )


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
    """
    shifts = list(shifts)
    horizon = at + lookahead
    # Start a day early so an interval that began before ``at`` is seen whole.
    window_start = at - timedelta(days=1)
    intervals: list[Interval] = [s for s in shifts if s[1] > window_start and s[0] < horizon]
    for expr in (spec.opening_hours, spec.emergency_hours):
        if expr:
            intervals.extend(compile_hours(expr, spec.land).open_intervals(window_start, horizon))
    available, until, next_start = available_window(at, merge_intervals(intervals))
    if until is not None and until >= horizon:
        until = None
    return Availability(
        available=available,
        available_until=until if available else None,
        next_available=None if available else next_start,
        on_duty=shift_covers(shifts, at),
    )
