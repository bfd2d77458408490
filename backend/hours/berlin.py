"""Europe/Berlin wall-clock time versus instants, across the daylight-saving switches.

Opening hours are wall-clock times. An instant is open when its Berlin wall-clock
time is in an open span, so:

- spring forward (last Sunday of March, 02:00 -> 03:00): wall times 02:00-02:59 do
  not exist; a span 02:00-03:00 is never open that day, and 02:30-05:00 opens at
  03:00 CEST;
- fall back (last Sunday of October, 03:00 -> 02:00): wall times 02:00-02:59 occur
  twice; both occurrences are open when the span contains them, so 02:00-03:00 is
  open for two real hours.

Internally instants are naive UTC datetimes: aware datetimes sharing one tzinfo
compare and subtract by wall clock and ignore ``fold`` (PEP 495), which would
misorder the repeated hour.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
_DAY = timedelta(days=1)
_MINUTE = timedelta(minutes=1)


def require_aware(value: datetime, name: str) -> None:
    """Raise ValueError for a naive datetime: its instant would be a guess."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")


def to_utc_naive(value: datetime) -> datetime:
    """The instant of an aware datetime as naive UTC."""
    return value.astimezone(UTC).replace(tzinfo=None)


def from_utc_naive(value: datetime) -> datetime:
    """A naive UTC instant as an aware Berlin datetime with the right ``fold``."""
    return value.replace(tzinfo=UTC).astimezone(BERLIN)


def _offset_at(utc_naive: datetime) -> timedelta:
    offset = from_utc_naive(utc_naive).utcoffset()
    assert offset is not None
    return offset


@lru_cache(maxsize=64)
def _transitions(year: int) -> tuple[tuple[datetime, timedelta], ...]:
    """UTC offset changes in (1 Jan ``year``, 1 Jan ``year + 1``] as (instant, new offset).

    zoneinfo has no public transition list, so scan day by day and bisect the minute.
    """
    found = []
    day = datetime(year, 1, 1)
    before = _offset_at(day)
    while day.year == year:
        after = _offset_at(day + _DAY)
        if after != before:
            low, high = 0, 24 * 60  # offset at day+low is `before`, at day+high `after`
            while high - low > 1:
                middle = (low + high) // 2
                if _offset_at(day + middle * _MINUTE) == before:
                    low = middle
                else:
                    high = middle
            found.append((day + high * _MINUTE, after))
        day, before = day + _DAY, after
    return tuple(found)


def _transitions_between(low: datetime, high: datetime) -> Iterator[tuple[datetime, timedelta]]:
    for year in range(low.year, high.year + 1):
        for instant, offset in _transitions(year):
            if low < instant < high:
                yield instant, offset


def wall_to_utc(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The instants whose Berlin wall-clock time lies in naive ``[start, end)``.

    Returns sorted, disjoint naive-UTC intervals: one normally, none for a
    non-existent span, two when the span covers part of the repeated hour.
    """
    low, high = start - _DAY, end + _DAY  # wider than any UTC offset
    pieces = []
    segment_start, offset = low, _offset_at(low)
    for instant, new_offset in [*_transitions_between(low, high), (high, timedelta(0))]:
        # Within one segment the offset is constant, so wall = utc + offset.
        piece_start = max(segment_start, start - offset)
        piece_end = min(instant, end - offset)
        if piece_start < piece_end:
            pieces.append((piece_start, piece_end))
        segment_start, offset = instant, new_offset
    return pieces
