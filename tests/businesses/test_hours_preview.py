"""The console's preview of hours: open now, next change, a week of bars, holidays marked."""

from __future__ import annotations

from datetime import date, datetime

from backend.businesses.hours_preview import Bar, preview_hours
from backend.hours import BERLIN

# Friday 30 October 2026, 18:00: Reformationstag (31 October) is a holiday in Sachsen-Anhalt
# and in Niedersachsen; the Saturday hours do not apply on it ("PH off").
FRIDAY_EVENING = datetime(2026, 10, 30, 18, 0, tzinfo=BERLIN)
HOURS = "Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off"


def test_closed_now_and_next_opening_skips_the_holiday():
    preview = preview_hours(HOURS, None, "ST", FRIDAY_EVENING)
    assert preview.errors == {}
    assert not preview.open_now
    # Saturday is Reformationstag: next opening Monday 07:00.
    assert preview.next_change == datetime(2026, 11, 2, 7, 0, tzinfo=BERLIN)
    assert preview.next_change_de() == "Mo 07:00"
    assert preview.next_change_en() == "Mon 07:00"


def test_open_now_and_the_next_change_is_closing_time():
    preview = preview_hours(HOURS, None, "ST", datetime(2026, 11, 7, 10, 0, tzinfo=BERLIN))
    assert preview.open_now
    assert preview.next_change_de() == "Sa 12:00"


def test_the_week_has_bars_and_the_lands_holidays():
    preview = preview_hours(HOURS, "Sa,Su 00:00-24:00", "ST", FRIDAY_EVENING)
    assert [day.day for day in preview.days][:2] == [date(2026, 10, 30), date(2026, 10, 31)]
    friday, saturday, sunday = preview.days[:3]
    assert not friday.holiday and saturday.holiday
    assert friday.bars == (Bar(420, 1020, "opening_hours"),)
    assert friday.bars[0].label == "07:00–17:00"
    # Emergency hours run all Saturday, the ordinary hours are off for the holiday.
    assert saturday.bars == (Bar(0, 1440, "emergency_hours"),)
    assert (saturday.weekday_de, sunday.weekday_en) == ("Sa", "Sun")


def test_a_week_chosen_by_its_first_day():
    preview = preview_hours(HOURS, None, "ST", FRIDAY_EVENING, week_start=date(2027, 1, 4))
    assert preview.days[0].day == date(2027, 1, 4)
    assert len(preview.days) == 7


def test_holidays_follow_the_land():
    # 6 January: a holiday in Sachsen-Anhalt, not in Niedersachsen.
    week = date(2027, 1, 4)
    st = preview_hours(HOURS, None, "ST", FRIDAY_EVENING, week_start=week)
    ni = preview_hours(HOURS, None, "NI", FRIDAY_EVENING, week_start=week)
    assert st.days[2].holiday and st.days[2].bars == ()
    assert not ni.days[2].holiday and ni.days[2].bars == (Bar(420, 1020, "opening_hours"),)


def test_syntax_errors_are_named_per_field():
    preview = preview_hours("Mo-Fr 07:00-", "24/7", "ST", FRIDAY_EVENING)
    assert set(preview.errors) == {"opening_hours"}
    assert preview.errors["opening_hours"].message_de
    assert preview.days == []
