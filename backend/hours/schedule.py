"""Compiled opening hours of one expression in one Land: ``is_open`` and open intervals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from backend.hours.berlin import (
    BERLIN,
    from_utc_naive,
    require_aware,
    to_utc_naive,
    wall_to_utc,
)
from backend.hours.compiler import DayTables, compile_rules
from backend.hours.holidays import normalize_land, public_holidays
from backend.hours.intervals import Interval, merge_utc
from backend.hours.parser import HoursSyntaxError, parse_hours

_ONE_DAY = timedelta(days=1)


class Schedule:
    """Opening hours compiled for fast evaluation; shared and immutable.

    Build with :func:`compile_hours`. ``always_open`` is True when every minute
    of every possible day is open (``24/7``, ``Mo-Su,PH 00:00-24:00``).
    """

    __slots__ = (
        "_holiday_spill",
        "_runs",
        "_tables",
        "_uses_holidays",
        "always_open",
        "expression",
        "land",
    )

    def __init__(self, expression: str, land: str, tables: DayTables) -> None:
        """Wrap precomputed ``tables``; ``land`` must already be a valid code."""
        self.expression = expression
        self.land = land
        self.always_open = tables.always_open
        self._tables = tables.tables
        self._runs = tables.runs
        self._uses_holidays = tables.uses_holidays
        self._holiday_spill = tables.holiday_spill

    def __repr__(self) -> str:
        return f"Schedule({self.expression!r}, land={self.land!r})"

    def _key(self, day: date) -> int:
        key = day.weekday() << 2
        if self._uses_holidays:
            if day in public_holidays(self.land, day.year):
                key |= 2
            if self._holiday_spill:
                before = day - _ONE_DAY
                if before in public_holidays(self.land, before.year):
                    key |= 1
        return key

    def is_open(self, at: datetime) -> bool:
        """True when the business is open at the instant ``at`` (aware, any time zone).

        Judged on the Europe/Berlin wall clock: in the repeated hour of the autumn
        switch both occurrences of a wall time give the same answer.
        """
        if at.utcoffset() is None:
            require_aware(at, "at")
        if self.always_open:
            return True
        # Via UTC, so that a non-existent Berlin wall time passed in (02:30 on the
        # spring-forward day) is first normalised to the instant it denotes.
        local = at.astimezone(UTC).astimezone(BERLIN)
        key = local.weekday() << 2
        if self._uses_holidays:
            key = self._key(local.date())
        return self._tables[key][local.hour * 60 + local.minute] == 1

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[Interval]:
        """The open parts of ``[start, end)`` as maximal intervals of aware Berlin datetimes.

        Intervals are clipped to the window, sorted and merged across midnight and
        across the DST switches (``24/7`` gives one interval). Work is linear in the
        number of days in the window.
        """
        require_aware(start, "start")
        require_aware(end, "end")
        low, high = to_utc_naive(start), to_utc_naive(end)
        if high <= low:
            return iter(())
        # Wall-clock dates only ever move forward, so these bound the window's days.
        first_day, last_day = from_utc_naive(low).date(), from_utc_naive(high).date()
        pieces = [
            (max(piece_start, low), min(piece_end, high))
            for wall_start, wall_end in self._wall_runs(first_day, last_day)
            for piece_start, piece_end in wall_to_utc(wall_start, wall_end)
            if piece_start < high and piece_end > low
        ]
        return ((from_utc_naive(a), from_utc_naive(b)) for a, b in merge_utc(pieces))

    def _wall_runs(self, first_day: date, last_day: date) -> Iterator[tuple[datetime, datetime]]:
        """Naive wall-clock open runs of the given days, merged across midnight."""
        pending: tuple[datetime, datetime] | None = None
        day = first_day
        while day <= last_day:
            midnight = datetime(day.year, day.month, day.day)
            for start, end in self._runs[self._key(day)]:
                run_start = midnight + timedelta(minutes=start)
                run_end = midnight + timedelta(minutes=end)
                if pending and pending[1] == run_start:
                    pending = (pending[0], run_end)
                    continue
                if pending:
                    yield pending
                pending = (run_start, run_end)
            day += _ONE_DAY
        if pending:
            yield pending


@lru_cache(maxsize=4096)
def _compile_rules(normalized: str) -> DayTables:
    return compile_rules(parse_hours(normalized))


@lru_cache(maxsize=8192)
def _compile(normalized: str, land: str) -> Schedule:
    return Schedule(normalized, land, _compile_rules(normalized))


def compile_hours(expr: str, land: str) -> Schedule:
    """Compile ``expr`` for a business in ``land`` ('ST', 'NI', ...), cached.

    Many businesses share an expression, so the cache key is the expression with
    whitespace collapsed plus the Land code. Raises HoursSyntaxError (positions refer
    to ``expr`` as passed) or UnknownLandError.
    """
    code = normalize_land(land)
    if not isinstance(expr, str):
        raise TypeError(f"opening hours must be a string, not {type(expr).__name__}")
    try:
        return _compile(" ".join(expr.split()), code)
    except HoursSyntaxError as error:
        # Errors from the normalised text would point at shifted positions.
        try:
            parse_hours(expr)
        except HoursSyntaxError as own_error:
            raise own_error from None
        raise error
