"""ICS feeds per business (secret, resettable link) and per city, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.hours import BERLIN
from backend.roster.calendars import issue_calendar_token
from backend.roster.models import CalendarToken
from tests import factories
from tests.roster.test_coverage import city


def _over_the_next_switch() -> tuple[datetime, datetime]:
    """A shift from Saturday 18:00 to Sunday 08:00 over the next daylight-saving switch."""
    now = datetime.now(BERLIN)
    for year in (now.year, now.year + 1):
        for month in (3, 10):
            last = datetime(year, month, 31, tzinfo=BERLIN)
            sunday = last - timedelta(days=(last.weekday() + 1) % 7)
            start = (sunday - timedelta(days=1)).replace(hour=18)
            if start > now:
                return start, sunday.replace(hour=8)
    raise AssertionError("no switch ahead")


def _parse(response) -> Calendar:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    for line in response.data.split(b"\r\n"):
        assert len(line) <= 75  # RFC 5545 folds content lines at 75 octets
    return calendar


def test_business_feed_under_a_secret_link_that_can_be_reset(client):
    plumber = factories.business(trades=("klempner",), name="Klempnerei Jähn")
    start, end = _over_the_next_switch()
    factories.shift(plumber, "klempner", start, end)
    token = issue_calendar_token(plumber, actor="test")
    db.session.commit()
    stored = db.session.scalar(select(CalendarToken.token_sha256))
    assert token not in stored and len(stored) == 64  # only the hash is kept

    calendar = _parse(client.get(f"/calendar/betrieb/{token}.ics"))
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Notdienst Klempner"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    # The wall-clock times survive the switch; the real length is 13 or 15 hours.
    assert event.decoded("DTSTART") == start and event.decoded("DTEND") == end
    hours = event.decoded("DTEND").astimezone(UTC) - event.decoded("DTSTART").astimezone(UTC)
    assert hours in (timedelta(hours=13), timedelta(hours=15))

    response = client.post(f"/calendar/betrieb/{token}/reset")
    assert response.status_code == 200
    new_url = response.json["calendar_url"]
    assert client.get(f"/calendar/betrieb/{token}.ics").status_code == 404
    assert client.get(new_url.removeprefix("http://localhost")).status_code == 200
    actions = db.session.scalars(
        select(AuditLogEntry.action).where(AuditLogEntry.entity_type == "CalendarToken")
    ).all()
    assert actions == ["create", "reset"]


def test_unknown_link_is_a_problem(client):
    response = client.get("/calendar/betrieb/erraten.ics")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_city_feed_names_who_is_on_duty_within_reach(client):
    city(coverage_km=16.0)
    near = factories.business(trades=("elektrotechniker",), name="Elektro Öhler",
                              emergency_phone="+4915112345678")  # fmt: skip
    far = factories.business(trades=("elektrotechniker",), name="Elektro Fern", lat=52.2)
    start = datetime.now(BERLIN).replace(microsecond=0) + timedelta(days=2)
    factories.shift(near, "elektrotechniker", start, start + timedelta(hours=13))
    factories.shift(far, "elektrotechniker", start, start + timedelta(hours=13))
    calendar = _parse(client.get("/calendar/stadt/halberstadt.ics"))
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Elektrotechniker: Elektro Öhler, Tel. 01511 2345678"
    assert "Notruf 112" in event["DESCRIPTION"]
    assert event.decoded("DTSTART") == start
    assert client.get("/calendar/stadt/atlantis.ics").status_code == 404


def test_calendar_link_from_the_command_line(runner):
    plumber = factories.business(trades=("klempner",))
    result = runner.invoke(
        args=["roster", "calendar-link", "--guild", "harz-bode", "--ref", plumber.ref]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("http://127.0.0.1:5000/calendar/betrieb/")
    result = runner.invoke(args=["roster", "calendar-link", "--guild", "harz-bode", "--ref", "X"])
    assert result.exit_code == 2 and "No business 'X'" in result.stderr
