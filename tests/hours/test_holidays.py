"""Public holidays per Land, as used for ``PH`` in opening hours."""

from __future__ import annotations

from datetime import date

import pytest

from backend.hours.holidays import (
    LANDS,
    UnknownLandError,
    is_public_holiday,
    normalize_land,
    public_holidays,
)

EPIPHANY = date(2026, 1, 6)
REFORMATION_DAY = date(2026, 10, 31)
CORPUS_CHRISTI = date(2026, 6, 4)
ASSUMPTION = date(2026, 8, 15)
AUGSBURG_PEACE_FESTIVAL = date(2026, 8, 8)


def test_sachsen_anhalt_keeps_epiphany_and_reformation_day() -> None:
    assert EPIPHANY in public_holidays("ST", 2026)
    assert REFORMATION_DAY in public_holidays("ST", 2026)


def test_lower_saxony_keeps_reformation_day_but_not_epiphany() -> None:
    assert REFORMATION_DAY in public_holidays("NI", 2026)
    assert EPIPHANY not in public_holidays("NI", 2026)


def test_bavaria_keeps_epiphany_and_corpus_christi_but_not_reformation_day() -> None:
    holidays = public_holidays("BY", 2026)
    assert EPIPHANY in holidays
    assert CORPUS_CHRISTI in holidays
    assert REFORMATION_DAY not in holidays


def test_partial_region_holidays_are_left_out() -> None:
    # Only Land-wide holidays count: Assumption Day is kept by Catholic municipalities
    # in Bavaria only, the Peace Festival by the city of Augsburg only, Corpus Christi
    # by a few municipalities in Saxony and Thuringia only.
    assert ASSUMPTION not in public_holidays("BY", 2026)
    assert AUGSBURG_PEACE_FESTIVAL not in public_holidays("BY", 2026)
    assert CORPUS_CHRISTI not in public_holidays("SN", 2026)
    assert CORPUS_CHRISTI not in public_holidays("TH", 2026)
    # Where they are Land-wide they are kept.
    assert ASSUMPTION in public_holidays("SL", 2026)
    assert CORPUS_CHRISTI in public_holidays("NW", 2026)


def test_land_specific_holidays() -> None:
    assert date(2026, 3, 8) in public_holidays("BE", 2026)  # Internationaler Frauentag
    assert date(2026, 9, 20) in public_holidays("TH", 2026)  # Weltkindertag
    assert date(2026, 11, 18) in public_holidays("SN", 2026)  # Buß- und Bettag
    assert date(2026, 11, 18) not in public_holidays("ST", 2026)


@pytest.mark.parametrize("land", sorted(LANDS))
def test_every_land_has_the_national_holidays(land: str) -> None:
    holidays = public_holidays(land, 2027)
    assert {date(2027, 1, 1), date(2027, 10, 3), date(2027, 12, 25)} <= holidays
    assert 9 <= len(holidays) <= 14


def test_is_public_holiday() -> None:
    assert is_public_holiday("ST", EPIPHANY)
    assert not is_public_holiday("NI", EPIPHANY)
    assert not is_public_holiday("ST", date(2026, 1, 7))


def test_results_are_cached_frozensets() -> None:
    first = public_holidays("ST", 2026)
    assert isinstance(first, frozenset)
    assert public_holidays("ST", 2026) is first


@pytest.mark.parametrize(("raw", "code"), [("st", "ST"), (" NI ", "NI"), ("DE-BY", "BY")])
def test_land_codes_are_normalised(raw: str, code: str) -> None:
    assert normalize_land(raw) == code
    assert public_holidays(raw, 2026) == public_holidays(code, 2026)


@pytest.mark.parametrize("raw", ["XX", "", "Augsburg", "Sachsen-Anhalt", "DE", None, 14])
def test_unknown_land_is_rejected_clearly(raw: object) -> None:
    with pytest.raises(UnknownLandError) as info:
        public_holidays(raw, 2026)  # type: ignore[arg-type]
    assert "ST" in info.value.message
    assert info.value.message_de.startswith("Unbekanntes Bundesland")
    assert isinstance(info.value, ValueError)
