"""Opening hours: syntax, Land holidays, midnight, DST, intervals; opening-hours-py as oracle."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opening_hours import OpeningHours, State

from backend.hours import (
    BERLIN,
    HoursSyntaxError,
    available_window,
    compile_hours,
    merge_intervals,
    validate_hours,
)
from backend.hours.compiler import compile_rules
from backend.hours.holidays import LANDS, is_public_holiday, public_holidays
from backend.hours.parser import FULL_DAY, parse_hours
from backend.hours.schedule import _compile


def berlin(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=BERLIN, fold=fold)  # type: ignore[misc]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def is_open(expr: str, at: datetime, land: str = "ST") -> bool:
    return compile_hours(expr, land).is_open(at)


def intervals(expr: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    return list(compile_hours(expr, "ST").open_intervals(start, end))


def in_utc(pairs: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    # A datetime in the repeated autumn hour never equals one in another zone (PEP 495),
    # so DST results are compared as UTC.
    return [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in pairs]


# -- syntax -------------------------------------------------------------------------

VALID = [
    "24/7",
    "Mo-Fr 08:00-17:00",
    "Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off",
    "Mo,We,Fr 08:00-12:00,14:00-18:00",
    "Sa-Mo 10:00-12:00",
    "Sa,PH 10:00-12:00",
    "PH,Su off",
    "Mo-Su,PH 00:00-24:00",
    "Mo-Su 22:00-06:00",
    "10:00-18:00",
    "Mo-Fr 08:00-12:00 open",
    "Mo-Fr 08:00-12:00 OFF",
    "mo-fr 08:00-12:00; tu closed",
    "  Mo-Fr 8:00-12:00  ",
    "Mo-Fr 22:00-30:00",
    "off",
    "Mo-Fr 08:00-17:00, Sa 10:00-12:00",
]


@pytest.mark.parametrize("expr", VALID)
def test_valid_expressions(expr: str) -> None:
    validate_hours(expr)
    compile_hours(expr, "ST")


@pytest.mark.parametrize(
    ("expr", "position", "german"),
    [
        ("Mo,Mx 08:00-12:00", 3, "Unbekannter Wochentag 'Mx' an Position 4"),
        ("  Mo,Mx", 5, "Unbekannter Wochentag 'Mx' an Position 6"),
        ("Mo-Di 08:00-12:00", 3, "englische Kürzel 'Tu'"),
        ("Mo-Fr 25:00-26:00", 6, "Ungültige Uhrzeit '25:00'"),
        ("Mo-Fr 08:00-49:00", 12, "Ungültige Uhrzeit '49:00'"),
        ("Mo-Fr 08:60-12:00", 6, "Ungültige Uhrzeit '08:60'"),
        ("Mo-Fr 08:00-08:00", 6, "Beginn und Ende sind gleich"),
        ("Mo-Fr 08:00", 11, "Erwartet: '-' nach 08:00"),
        ("Mo-Fr 08:00-", 12, "Erwartet: eine Endzeit"),
        ("Mo- 08:00-12:00", 4, "Erwartet: ein Wochentag"),
        ("Mo-Fr 08:00-12:00 || 10:00-11:00", 18, "Ausweichregeln"),
        ('Mo-Fr 08:00-12:00 "nach Vereinbarung"', 18, "Kommentare"),
        ("Dec 24 off", 0, "Monate"),
        ("2026 Mo-Fr 08:00-12:00", 0, "Unerwartete Zahl '2026'"),
        ("SH off", 0, "Schulferien"),
        ("Mo-Fr sunrise-sunset", 6, "Sonnenzeiten"),
        ("Mo-Fr 08:00-12:00 unknown", 18, "unknown"),
        ("Mo-Fr 18:00+", 11, "offene Endzeiten"),
        ("Mo[1] 08:00-12:00", 2, "n-te Wochentage"),
        ("PH Mo 08:00-12:00", 3, "',' oder '-' fehlt vor 'Mo'"),
        ("Mo-Fr 08:00-12:00;", 18, "Regel fehlt"),
        ("Mo-Fr 08:00-12:00;; Sa off", 18, "Regel fehlt"),
        ("", 0, "Leere Angabe"),
        ("   ", 0, "Leere Angabe"),
        ("Mo-Fr 08:00-12:00 Sa", 18, "Unerwartetes 'Sa'"),
        ("Mo, We 08:00-12:00", 2, "Mehrdeutiges Komma vor 'We'"),
        ("Sa ,PH off", 3, "Mehrdeutiges Komma vor 'PH'"),
        ("Mo-Fr 08:00-12:00 , 14:00-16:00", 18, "Mehrdeutiges Leerzeichen vor dem Komma"),
        ("24/7 08:00-12:00", 5, "Unerwartetes '08:00'"),
        ("Montag 08:00-12:00", 0, "Unbekanntes Wort 'Montag'"),
        ("Mo-Fr 08:00–12:00", 11, "Unerwartetes Zeichen '–'"),
    ],
)
def test_syntax_errors_name_the_position(expr: str, position: int, german: str) -> None:
    with pytest.raises(HoursSyntaxError) as info:
        validate_hours(expr)
    assert info.value.position == position
    assert german in info.value.message_de
    assert f"at position {position + 1}" in info.value.message
    assert isinstance(info.value, ValueError)


def test_compile_reports_positions_in_the_callers_string() -> None:
    # The cache key collapses whitespace; the error must still point into the original.
    with pytest.raises(HoursSyntaxError) as info:
        compile_hours("Mo,     Mx 08:00-12:00", "ST")
    assert info.value.position == 8


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='MoTuWeFrSaPHh0123456789:-,;/| offpenclsd"+[]', max_size=30))
def test_parser_never_crashes(expr: str) -> None:
    try:
        schedule = compile_hours(expr, "ST")
    except HoursSyntaxError as error:
        assert 0 <= error.position <= len(expr)
        assert error.message and error.message_de
    else:
        schedule.is_open(berlin(2026, 1, 6, 12))
        list(schedule.open_intervals(berlin(2026, 1, 5), berlin(2026, 1, 8)))


def test_compile_is_cached_per_normalised_expression_and_land() -> None:
    first = compile_hours("Mo-Fr 08:00-17:00; PH off", "ST")
    assert compile_hours("  Mo-Fr  08:00-17:00;   PH off ", "st") is first
    assert compile_hours("Mo-Fr 08:00-17:00; PH off", "NI") is not first
    hits = _compile.cache_info().hits
    compile_hours("Mo-Fr 08:00-17:00; PH off", "ST")
    assert _compile.cache_info().hits == hits + 1


# -- rules, holidays, midnight -------------------------------------------------------


def test_holiday_depends_on_the_land() -> None:
    # 2026-01-06 is a Tuesday: Heilige Drei Könige in Sachsen-Anhalt, not in Niedersachsen.
    assert not is_open("Mo-Fr 08:00-17:00; PH off", berlin(2026, 1, 6, 10), "ST")
    assert is_open("Mo-Fr 08:00-17:00; PH off", berlin(2026, 1, 6, 10), "NI")
    # 2026-10-31 is a Saturday: Reformationstag in both, not in Bavaria.
    assert not is_open("Mo-Su 08:00-17:00; PH off", berlin(2026, 10, 31, 10), "ST")
    assert not is_open("Mo-Su 08:00-17:00; PH off", berlin(2026, 10, 31, 10), "NI")
    assert is_open("Mo-Su 08:00-17:00; PH off", berlin(2026, 10, 31, 10), "BY")


def test_ph_as_day_selector() -> None:
    assert is_open("PH 10:00-12:00", berlin(2026, 1, 6, 11))
    assert not is_open("PH 10:00-12:00", berlin(2026, 1, 6, 12))
    assert not is_open("PH 10:00-12:00", berlin(2026, 1, 7, 11))
    assert is_open("Sa,PH 10:00-12:00", berlin(2026, 1, 6, 11))
    assert is_open("Sa,PH 10:00-12:00", berlin(2026, 1, 10, 11))
    assert not is_open("Sa,PH 10:00-12:00", berlin(2026, 1, 9, 11))
    assert is_open("PH,Su off; 09:00-10:00", berlin(2026, 1, 6, 9, 30))
    assert not is_open("09:00-10:00; PH,Su off", berlin(2026, 1, 6, 9, 30))


def test_ph_spans_crossing_midnight() -> None:
    # The holiday's night shift continues into the (ordinary) next morning ...
    assert is_open("PH 20:00-02:00", berlin(2026, 1, 7, 1), "ST")
    assert not is_open("PH 20:00-02:00", berlin(2026, 1, 7, 1), "NI")
    # ... and "PH off" also closes the night shift arriving from the day before
    # (opening_hours.js issue #441): Monday 18:00-03:00 does not run into the holiday.
    assert not is_open("Mo-Su 18:00-03:00; PH off", berlin(2026, 1, 6, 1), "ST")
    assert is_open("Mo-Su 18:00-03:00; PH off", berlin(2026, 1, 6, 1), "NI")


def test_always_open() -> None:
    for expr in ["24/7", "Mo-Su 00:00-24:00", "Mo-Su,PH 00:00-24:00", "open", "06:00-30:00"]:
        assert compile_hours(expr, "ST").always_open, expr
    for expr in ["24/7; PH off", "Mo-Sa 00:00-24:00", "Mo-Su 00:00-23:59", "off"]:
        assert not compile_hours(expr, "ST").always_open, expr


@pytest.mark.parametrize(
    ("expr", "at", "expected"),
    [
        ("Fr 22:00-06:00", berlin(2026, 1, 10, 5, 59), True),  # Saturday morning
        ("Fr 22:00-06:00", berlin(2026, 1, 10, 6, 0), False),
        ("Fr 22:00-06:00", berlin(2026, 1, 9, 21, 59), False),
        ("Su 22:00-02:00", berlin(2026, 1, 5, 1, 0), True),  # wraps into the next week
        ("Mo 22:00-24:00", berlin(2026, 1, 5, 23, 59, 59), True),
        ("Mo 22:00-24:00", berlin(2026, 1, 6, 0, 0), False),
        ("Mo 22:00-30:00", berlin(2026, 1, 6, 5, 0), True),
        ("Mo 22:00-06:00; Tu off", berlin(2026, 1, 6, 1), False),
        ("Mo 22:00-06:00; Tu 10:00-12:00", berlin(2026, 1, 6, 1), False),
        ("Mo 22:00-06:00, Tu 10:00-12:00", berlin(2026, 1, 6, 1), True),
        ("Mo-Su 22:00-06:00; Tu off", berlin(2026, 1, 7, 1), True),
        ("Mo-Fr 08:00-18:00; We 12:00-14:00 off", berlin(2026, 1, 7, 13), False),
        ("Mo-Fr 08:00-18:00; We 12:00-14:00 off", berlin(2026, 1, 7, 9), True),
        ("08:00-10:00, Mo 08:00-09:00 off", berlin(2026, 1, 5, 8, 30), False),
        ("Mo 08:00-09:00 off, 08:00-10:00", berlin(2026, 1, 5, 8, 30), True),
        # Our documented choice, where opening-hours-py 2.1 says closed: the Monday
        # night shift is the latest rule for Monday, and no later rule names Tuesday.
        ("Tu-Su 08:00-12:00; Mo 22:00-06:00", berlin(2026, 1, 6, 1), True),
    ],
)
def test_rule_semantics(expr: str, at: datetime, expected: bool) -> None:
    assert is_open(expr, at) is expected


def test_any_time_zone_and_naive_rejected() -> None:
    schedule = compile_hours("Mo-Fr 08:00-17:00", "ST")
    assert schedule.is_open(utc(2026, 1, 5, 7, 0))  # 08:00 in Berlin
    assert not schedule.is_open(utc(2026, 1, 5, 6, 59))
    assert schedule.is_open(datetime(2026, 1, 5, 16, tzinfo=timezone(timedelta(hours=8))))
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule.is_open(datetime(2026, 1, 5, 10))
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule.open_intervals(datetime(2026, 1, 5), berlin(2026, 1, 6))


# -- daylight saving time -------------------------------------------------------------

SPRING_2026, FALL_2026 = utc(2026, 3, 29, 1), utc(2026, 10, 25, 1)  # the switch instants
DST_DAYS = [(2026, 3, 29), (2026, 10, 25), (2027, 3, 28), (2027, 10, 31)]


def test_spring_forward_skips_the_missing_hour() -> None:
    # 02:00-02:59 does not exist on 2026-03-29: a span inside it never opens that day.
    assert intervals("Mo-Su 02:00-03:00", berlin(2026, 3, 29), berlin(2026, 3, 30)) == []
    for minute in range(-90, 90, 5):
        assert not is_open("Mo-Su 02:00-03:00", SPRING_2026 + timedelta(minutes=minute))
    # A span starting in the gap opens at the first existing minute, 03:00 CEST.
    assert intervals("Mo-Su 02:30-05:00", berlin(2026, 3, 29), berlin(2026, 3, 30)) == [
        (SPRING_2026, utc(2026, 3, 29, 3))
    ]
    # Spans on both sides of the gap are one continuous opening.
    assert intervals("Mo-Su 00:00-02:00,03:00-24:00", berlin(2026, 3, 29), berlin(2026, 3, 30)) == [
        (berlin(2026, 3, 29), berlin(2026, 3, 30))
    ]


def test_a_non_existent_wall_time_passed_in_is_normalised() -> None:
    # zoneinfo reads 02:30 (fold=0) on the spring day with the winter offset: 03:30 CEST.
    assert is_open("Mo-Su 03:15-04:00", berlin(2026, 3, 29, 2, 30))
    assert not is_open("Mo-Su 02:00-03:00", berlin(2026, 3, 29, 2, 30))


def test_fall_back_opens_both_occurrences_of_the_repeated_hour() -> None:
    for fold in (0, 1):
        assert is_open("Mo-Su 02:00-03:00", berlin(2026, 10, 25, 2, 30, fold=fold))
        assert is_open("Mo-Su 02:00-02:45", berlin(2026, 10, 25, 2, 30, fold=fold))
        assert not is_open("Mo-Su 02:45-03:00", berlin(2026, 10, 25, 2, 30, fold=fold))
    # 02:00-03:00 therefore lasts two real hours, one interval from CEST into CET.
    (only,) = intervals("Mo-Su 02:00-03:00", berlin(2026, 10, 25), berlin(2026, 10, 26))
    assert in_utc([only]) == [(utc(2026, 10, 25, 0), utc(2026, 10, 25, 2))]
    assert only[0].utcoffset() == timedelta(hours=2) and only[1].utcoffset() == timedelta(hours=1)
    # 01:00-02:30 is open until 02:30 CEST and again from 02:00 to 02:30 CET.
    assert in_utc(intervals("Mo-Su 01:00-02:30", berlin(2026, 10, 25), berlin(2026, 10, 26))) == [
        (utc(2026, 10, 24, 23), utc(2026, 10, 25, 0, 30)),
        (FALL_2026, utc(2026, 10, 25, 1, 30)),
    ]
    second = intervals("Mo-Su 01:00-02:30", berlin(2026, 10, 25), berlin(2026, 10, 26))[1]
    assert second[0].fold == 1 and second[0].hour == 2


@pytest.mark.parametrize("expr", ["24/7", "Mo-Su 00:00-24:00", "Mo-Su,PH 00:00-24:00"])
@pytest.mark.parametrize("day", DST_DAYS)
def test_round_the_clock_is_one_interval_across_dst(expr: str, day: tuple[int, int, int]) -> None:
    start, end = berlin(*day) - timedelta(days=2), berlin(*day) + timedelta(days=2)
    ((first, last),) = intervals(expr, start, end)
    assert (first, last) == (start, end)
    hours = (last - first.astimezone(UTC)).total_seconds() / 3600
    assert hours in (95, 97)  # one hour lost or gained


def test_night_shifts_are_nightly_intervals_across_dst() -> None:
    found = intervals("Mo-Su 22:00-06:00", berlin(2026, 10, 24, 12), berlin(2026, 10, 26, 12))
    assert found == [
        (berlin(2026, 10, 24, 22), berlin(2026, 10, 25, 6)),
        (berlin(2026, 10, 25, 22), berlin(2026, 10, 26, 6)),
    ]
    assert found[0][1] - found[0][0].astimezone(UTC) == timedelta(hours=9)


# -- intervals -------------------------------------------------------------------------


def test_open_intervals_are_clipped_to_the_window() -> None:
    expr = "Mo-Fr 08:00-17:00"
    assert intervals(expr, berlin(2026, 1, 5, 10), berlin(2026, 1, 6, 9)) == [
        (berlin(2026, 1, 5, 10), berlin(2026, 1, 5, 17)),
        (berlin(2026, 1, 6, 8), berlin(2026, 1, 6, 9)),
    ]
    assert intervals(expr, berlin(2026, 1, 10), berlin(2026, 1, 11)) == []  # weekend
    assert intervals(expr, berlin(2026, 1, 6), berlin(2026, 1, 5)) == []  # empty window
    assert intervals("Mo-Su 22:00-06:00", utc(2026, 1, 5, 12), utc(2026, 1, 6, 2)) == [
        (berlin(2026, 1, 5, 22), berlin(2026, 1, 6, 3))
    ]


def test_merge_intervals_unions_hours_emergency_hours_and_shifts() -> None:
    hours = intervals("Mo-Fr 08:00-17:00", berlin(2026, 1, 9), berlin(2026, 1, 13))
    emergency = intervals("Mo-Fr 17:00-20:00", berlin(2026, 1, 9), berlin(2026, 1, 13))
    roster = [(utc(2026, 1, 9, 19), utc(2026, 1, 12, 7))]  # Friday evening to Monday 08:00
    merged = merge_intervals([*hours, *emergency, *roster])
    # Friday 08:00 until Monday 20:00 without a gap.
    assert merged == [(berlin(2026, 1, 9, 8), berlin(2026, 1, 12, 20))]
    assert all(start.tzinfo is BERLIN for start, _ in merged)
    assert merge_intervals([]) == []
    assert merge_intervals([(berlin(2026, 1, 1, 10), berlin(2026, 1, 1, 10))]) == []


def test_merge_orders_the_repeated_hour_by_instant() -> None:
    # Same tzinfo compares wall clocks and ignores fold, yet 02:40 CEST is before 02:10 CET.
    cest = (berlin(2026, 10, 25, 2, 40), berlin(2026, 10, 25, 2, 50))
    cet = (berlin(2026, 10, 25, 2, 10, fold=1), berlin(2026, 10, 25, 2, 20, fold=1))
    assert [(a.fold, b.fold) for a, b in merge_intervals([cet, cest])] == [(0, 0), (1, 1)]


def test_available_window() -> None:
    union = merge_intervals(
        [
            (berlin(2026, 1, 5, 8), berlin(2026, 1, 5, 12)),
            (berlin(2026, 1, 5, 12), utc(2026, 1, 5, 16)),
        ]
    )
    assert available_window(berlin(2026, 1, 5, 9), union) == (True, berlin(2026, 1, 5, 17), None)
    assert available_window(berlin(2026, 1, 5, 8), union) == (True, berlin(2026, 1, 5, 17), None)
    assert available_window(berlin(2026, 1, 5, 7), union) == (False, None, berlin(2026, 1, 5, 8))
    assert available_window(berlin(2026, 1, 5, 17), union) == (False, None, None)
    # Unmerged input is accepted too.
    shifts = [
        (berlin(2026, 1, 5, 8), berlin(2026, 1, 5, 9)),
        (berlin(2026, 1, 5, 9), berlin(2026, 1, 5, 10)),
    ]
    assert available_window(berlin(2026, 1, 5, 8), shifts)[1] == berlin(2026, 1, 5, 10)


def test_is_open_is_fast() -> None:
    schedule = compile_hours("Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off", "ST")
    at = datetime(2026, 5, 13, 10, 30, tzinfo=BERLIN)
    calls = 20_000
    began = time.perf_counter()
    for _ in range(calls):
        schedule.is_open(at)
    per_call = (time.perf_counter() - began) / calls
    assert per_call < 50e-6  # measured about 1.5 µs; generous for slow CI machines


# -- opening-hours-py as oracle ----------------------------------------------------------

WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
# Minutes chosen often: the DST hours, midnight, and whole hours.
_LIKELY_MINUTES = st.sampled_from([0, 60, 90, 120, 150, 180, 210, 1320, 1380, 1439])
_MINUTES = st.one_of(_LIKELY_MINUTES, st.integers(0, FULL_DAY - 1).map(lambda m: m - m % 15))


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def _spans(draw: st.DrawFn) -> str:
    spans = []
    for _ in range(draw(st.integers(1, 2))):
        start = draw(_MINUTES)
        end = draw(st.one_of(_MINUTES, st.just(FULL_DAY), st.integers(FULL_DAY + 15, 2 * FULL_DAY)))
        if end == start:
            end = FULL_DAY if start else 60
        spans.append(f"{_clock(start)}-{_clock(end)}")
    return ",".join(spans)


@st.composite
def _days(draw: st.DrawFn, with_holidays: bool = False) -> str:
    items = []
    for _ in range(draw(st.integers(1, 2))):
        first, last = draw(st.integers(0, 6)), draw(st.integers(0, 6))
        items.append(WEEKDAYS[first] if first == last else f"{WEEKDAYS[first]}-{WEEKDAYS[last]}")
    if with_holidays and draw(st.booleans()):
        items = ["PH"] if draw(st.booleans()) else [*items, "PH"]
    return ",".join(items)


@st.composite
def _rule(draw: st.DrawFn, with_holidays: bool) -> tuple[str, bool]:
    """A rule, and whether it is a bare day selector (then ", Mo" would be ambiguous)."""
    modifier = draw(st.sampled_from(["", "", "", " off", " closed", " open"]))
    if draw(st.integers(0, 9)) == 0:
        return "24/7" + modifier, False
    days = draw(st.one_of(st.none(), _days(with_holidays)))
    spans = draw(st.one_of(st.none(), _spans())) if days else draw(_spans())
    text = " ".join(part for part in (days, spans) if part) + modifier
    return text, bool(days and not spans and not modifier)


@st.composite
def expressions(draw: st.DrawFn, with_holidays: bool = False) -> str:
    """Expressions from the supported grammar; PH-free by default (the oracle knows no Land)."""
    expr, bare_days = draw(_rule(with_holidays))
    for _ in range(draw(st.integers(0, 3))):
        rule, next_bare = draw(_rule(with_holidays))
        separator = draw(st.sampled_from(["; ", ", "]))
        if bare_days and rule[0].isalpha() and not rule.startswith(("off", "closed", "open")):
            separator = "; "  # "Mo, We" is rejected as ambiguous
        expr, bare_days = expr + separator + rule, next_bare
    return expr


_START, _END = utc(2026, 1, 1), utc(2028, 1, 1)
instants = st.one_of(
    st.integers(0, int((_END - _START).total_seconds())).map(
        lambda s: _START + timedelta(seconds=s)
    ),
    st.tuples(st.sampled_from(DST_DAYS), st.integers(-6 * 3600, 30 * 3600)).map(
        lambda pair: berlin(*pair[0]).astimezone(UTC) + timedelta(seconds=pair[1])
    ),
)


def _oracle_known_wrong(expr: str, at: datetime) -> bool:
    """Cases where opening-hours-py 2.1 deviates from the OSM semantics we implement.

    1. The last minute before the autumn switch: the oracle looks at the wall-clock
       range [02:59, 02:00) which is empty, and reports closed even for ``24/7``.
    2. A ``;`` rule for day D-1 running past midnight loses its part on D when an
       earlier rule already left D open (see ``Tu-Su 08:00-12:00; Mo 22:00-06:00``).
    """
    if any(timedelta(0) < switch - at <= timedelta(minutes=1) for switch in _FALL_SWITCHES):
        return True
    rules = parse_hours(expr)
    weekday = at.astimezone(BERLIN).weekday()
    for k, rule in enumerate(rules):
        spills = any(end > FULL_DAY for _, end in rule.spans)
        if (
            rule.is_open
            and not rule.additional
            and spills
            and weekday not in rule.weekdays
            and (weekday - 1) % 7 in rule.weekdays
            and 1 in compile_rules(rules[:k]).tables[weekday << 2]
        ):
            return True
    return False


_FALL_SWITCHES = [FALL_2026, utc(2027, 10, 31, 1)]


@settings(max_examples=300, deadline=None)
@given(expressions(), st.lists(instants, min_size=5, max_size=15))
def test_is_open_agrees_with_opening_hours_py(expr: str, moments: list[datetime]) -> None:
    oracle = OpeningHours(expr, timezone=BERLIN)
    schedule = compile_hours(expr, "ST")
    for at in moments:
        if _oracle_known_wrong(expr, at):
            continue
        local = at.astimezone(BERLIN)
        assert schedule.is_open(at) == oracle.is_open(local), (expr, local.isoformat())


@settings(max_examples=200, deadline=None)
@given(expressions(), instants, st.integers(1, 4 * 24 * 60), st.lists(st.floats(0, 1), max_size=20))
def test_open_intervals_agree_with_is_open(
    expr: str, start: datetime, minutes: int, samples: list[float]
) -> None:
    schedule = compile_hours(expr, "ST")
    end = start + timedelta(minutes=minutes)
    found = in_utc(list(schedule.open_intervals(start, end)))
    for (a, b), (c, _) in itertools.pairwise(found):
        assert a < b < c  # sorted, disjoint, maximal (never touching)
    assert all(start <= a and b <= end for a, b in found)
    for fraction in [0.0, *samples]:
        at = start + (end - start) * fraction
        if at < end:
            assert schedule.is_open(at) == any(a <= at < b for a, b in found), at.isoformat()
    for a, b in found:  # the edges are where the state changes
        assert schedule.is_open(a) and (b == end or not schedule.is_open(b))


@settings(max_examples=150, deadline=None)
@given(expressions(), st.integers(0, 700))
def test_open_intervals_agree_with_opening_hours_py(expr: str, day_offset: int) -> None:
    start = berlin(2026, 1, 1) + timedelta(days=day_offset)
    end = start + timedelta(days=3)
    if any(start.date() <= datetime(*day).date() <= end.date() for day in DST_DAYS):
        return  # the oracle's interval ends are naive around the switches
    if any(_oracle_known_wrong(expr, start + timedelta(days=d)) for d in range(7)):
        return
    oracle = OpeningHours(expr, timezone=BERLIN)
    expected = merge_intervals(
        (a, b) for a, b, state, _ in oracle.intervals(start, end) if state == State.OPEN
    )
    assert intervals(expr, start, end) == expected


def _reference_is_open(expr: str, land: str, at: datetime) -> bool:
    """The documented rule semantics, minute by minute, without precomputed day variants."""
    local = at.astimezone(BERLIN)
    day, minute = local.date(), local.hour * 60 + local.minute
    state = False
    for rule in parse_hours(expr):
        names_day, names_before = (
            d.weekday() in rule.weekdays or (rule.holidays and is_public_holiday(land, d))
            for d in (day, day - timedelta(days=1))
        )
        if rule.is_open and not rule.additional and names_day:
            state = False
        if (names_day and any(s <= minute < min(e, FULL_DAY) for s, e in rule.spans)) or (
            names_before and any(minute < e - FULL_DAY for _, e in rule.spans)
        ):
            state = rule.is_open
    return state


@st.composite
def _near_holidays(draw: st.DrawFn) -> tuple[str, datetime]:
    land = draw(st.sampled_from(sorted(LANDS)))
    holidays = sorted(public_holidays(land, 2026) | public_holidays(land, 2027))
    day = draw(st.sampled_from(holidays))
    minutes = draw(st.integers(-FULL_DAY, 2 * FULL_DAY))
    # Real instants (UTC arithmetic), never a non-existent wall time.
    return land, berlin(day.year, day.month, day.day).astimezone(UTC) + timedelta(minutes=minutes)


@settings(max_examples=150, deadline=None)
@given(expressions(with_holidays=True), st.lists(_near_holidays(), min_size=5, max_size=15))
def test_holiday_rules_agree_with_a_minute_by_minute_reference(
    expr: str, moments: list[tuple[str, datetime]]
) -> None:
    for land, at in moments:
        expected = _reference_is_open(expr, land, at)
        assert compile_hours(expr, land).is_open(at) == expected, (expr, land, at.isoformat())
