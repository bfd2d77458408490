"""Turn parsed rules into per-day minute tables; the evaluation semantics live here.

A day's open minutes depend only on its weekday, whether it is a public holiday
and whether the day before was one (a span of a ``PH`` rule can run past
midnight). That gives 7 x 2 x 2 = 28 day variants, each precomputed as a
1440-byte table (1 = open), so evaluation is a single index operation.

Rules are applied in order to the 24 hours of a day D. A rule "names" D when its
day selector matches D; the part of its spans after midnight ("spill") lands on D
when the rule names D - 1.

- A ``;`` rule that is open and names D replaces everything earlier on D, including
  spill from earlier rules of the day before (OSM spec; opening_hours.js issues
  #87, #441): ``Mo 22:00-06:00; Tu off`` is closed on Tuesday 01:00. Its own spill
  from D - 1 is added back.
- A ``;`` rule that is open and does not name D but names D - 1 adds its spill to
  D: ``Tu-Su 08:00-12:00; Mo 22:00-06:00`` is open on Tuesday 01:00 because no
  later rule names Tuesday. (opening-hours-rs 2.1 drops this spill whenever an
  earlier rule names D, yet keeps it for ``We-Su 08:00-12:00; Mo 22:00-06:00``.)
- A ``;`` rule with ``off``/``closed`` closes only its own spans, not the whole day
  (``Mo-Fr 08:00-18:00; We 12:00-14:00 off`` is a lunch break); without spans
  it closes the whole day. This matches opening_hours.js and opening-hours-rs.
- A ``,`` rule paints its spans (and spill) open or closed over what is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from backend.hours.parser import FULL_DAY, Rule

VARIANTS = 28
_CLOSED = bytes(FULL_DAY)
_OPEN = b"\x01" * FULL_DAY


def variant_key(weekday: int, holiday: bool, holiday_before: bool) -> int:
    """Index of a day variant: weekday 0 = Monday, plus the two holiday flags."""
    return weekday << 2 | holiday << 1 | holiday_before


@dataclass(frozen=True, slots=True)
class DayTables:
    """Open minutes of all 28 day variants, as byte tables and as sorted runs."""

    tables: tuple[bytes, ...]
    runs: tuple[tuple[tuple[int, int], ...], ...]
    uses_holidays: bool
    holiday_spill: bool
    always_open: bool


def compile_rules(rules: tuple[Rule, ...]) -> DayTables:
    """Precompute the day tables for ``rules``."""
    uses_holidays = any(rule.holidays for rule in rules)
    # Only a PH rule running past midnight makes "was yesterday a holiday?" matter.
    holiday_spill = any(
        rule.holidays and any(end > FULL_DAY for _, end in rule.spans) for rule in rules
    )
    tables = []
    for key in range(VARIANTS):
        weekday, holiday, holiday_before = key >> 2, bool(key & 2), bool(key & 1)
        table = _evaluate_day(rules, weekday, holiday, holiday_before)
        tables.append(_intern(bytes(table)))
    return DayTables(
        tables=tuple(tables),
        runs=tuple(_runs(table) for table in tables),
        uses_holidays=uses_holidays,
        holiday_spill=holiday_spill,
        always_open=all(table == _OPEN for table in tables),
    )


def _evaluate_day(rules: tuple[Rule, ...], weekday: int, holiday: bool, before: bool) -> bytearray:
    day = bytearray(FULL_DAY)
    yesterday = (weekday - 1) % 7
    for rule in rules:
        names_day = weekday in rule.weekdays or (rule.holidays and holiday)
        names_before = yesterday in rule.weekdays or (rule.holidays and before)
        if rule.is_open and not rule.additional and names_day:
            day[:] = _CLOSED
        paint = []
        if names_day:
            paint.extend((start, min(end, FULL_DAY)) for start, end in rule.spans)
        if names_before:
            paint.extend((0, end - FULL_DAY) for _, end in rule.spans if end > FULL_DAY)
        value = b"\x01" if rule.is_open else b"\x00"
        for start, end in paint:
            day[start:end] = value * (end - start)
    return day


@lru_cache(maxsize=4096)
def _intern(table: bytes) -> bytes:
    # Many businesses share the same day shapes ("08:00-17:00"); keep one copy each.
    return table


def _runs(table: bytes) -> tuple[tuple[int, int], ...]:
    runs = []
    start = table.find(1)
    while start != -1:
        end = table.find(0, start)
        end = FULL_DAY if end == -1 else end
        runs.append((start, end))
        start = table.find(1, end)
    return tuple(runs)
