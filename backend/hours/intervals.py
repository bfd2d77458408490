"""Unions of availability intervals: opening hours, emergency hours and roster shifts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from backend.hours.berlin import from_utc_naive, require_aware, to_utc_naive

Interval = tuple[datetime, datetime]


def merge_utc(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Merge naive-UTC ``[start, end)`` intervals that overlap or touch; drop empty ones."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _to_utc(intervals: Iterable[Interval]) -> list[tuple[datetime, datetime]]:
    converted = []
    for start, end in intervals:
        require_aware(start, "interval start")
        require_aware(end, "interval end")
        converted.append((to_utc_naive(start), to_utc_naive(end)))
    return converted


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Union of half-open ``[start, end)`` intervals given as aware datetimes in any zone.

    Overlapping and touching intervals are joined, empty ones dropped. The result is
    sorted by instant and returned as aware Europe/Berlin datetimes. Comparison is by
    instant, so intervals in the repeated autumn hour are ordered correctly.
    """
    return [(from_utc_naive(a), from_utc_naive(b)) for a, b in merge_utc(_to_utc(intervals))]


def available_window(
    at: datetime, intervals: Iterable[Interval]
) -> tuple[bool, datetime | None, datetime | None]:
    """Availability at ``at`` from a union of open intervals.

    Returns ``(available_at, available_until, next_available)``:
    ``(True, end of the interval containing at, None)`` when available, else
    ``(False, None, start of the next interval or None)``. ``intervals`` need not be
    merged. The caller bounds the look-ahead: an ``available_until`` equal to the
    end of the caller's window means "at least until then".
    """
    require_aware(at, "at")
    moment = to_utc_naive(at)
    for start, end in merge_utc(_to_utc(intervals)):
        if start <= moment < end:
            return True, from_utc_naive(end), None
        if start > moment:
            return False, None, from_utc_naive(start)
    return False, None, None
