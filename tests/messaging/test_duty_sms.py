"""Duty by SMS: AN, AUS, STATUS and JA on the signed webhook, seen by the one search."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.hours import BERLIN
from backend.messaging.inbound import UNKNOWN_SENDER
from backend.messaging.models import InboundSms
from backend.messaging.sms_commands import TWILIO_RESERVED, normalise, parse_command
from backend.roster.models import RosterShift
from backend.search.operation import SearchRequest, find_help, listed_results
from tests import factories
from tests.messaging.conftest import BUSINESS_MOBILE, PUBLIC_BASE_URL, twilio_post

SMS_URL = f"{PUBLIC_BASE_URL}/twilio/sms"
_sids = itertools.count(1)


def sms(client, twilio, text: str, sender: str = BUSINESS_MOBILE, sid: str | None = None):
    params = {
        "MessageSid": sid or f"SM{next(_sids):032d}",
        "From": sender,
        "To": "+4932221234567",
        "Body": text,
    }
    response = twilio_post(client, SMS_URL, params, twilio.auth_token)
    assert response.status_code == 200 and response.mimetype == "text/xml"
    text = response.get_data(as_text=True)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Message>')
    return text


@pytest.fixture
def van():
    """A business without regular hours, with two trades and a registered mobile."""
    return factories.business(
        name="Notdienst Test (Demo)", trades=("klempner", "installateur-heizungsbauer"),
        opening_hours=None, mobile=BUSINESS_MOBILE,
    )  # fmt: skip


def on_duty_now(business) -> dict | None:
    result = find_help(SearchRequest(lat=business.lat, lon=business.lon, trade="klempner"))
    return next((r for r in listed_results(result) if r["id"] == business.id), None)


def test_an_puts_the_business_on_duty_in_the_search_until_aus(client, twilio, van):
    assert on_duty_now(van) is None
    reply = sms(client, twilio, "  notdienst   An ")
    assert "Notdienst AN" in reply and "AUS" in reply
    shifts = db.session.scalars(select(RosterShift)).all()
    assert {s.trade.slug for s in shifts} == {"klempner", "installateur-heizungsbauer"}
    assert {s.source for s in shifts} == {"sms"}
    assert all(s.confirmed_at is not None for s in shifts)
    # No regular opening within 12 hours: 12 hours.
    assert shifts[0].ends_at - shifts[0].starts_at == timedelta(hours=12)
    listed = on_duty_now(van)
    assert listed["available"] and listed["on_duty"] and listed["duty_confirmed"]

    assert "Sie sind im Notdienst per SMS" in sms(client, twilio, "STATUS")
    reply = sms(client, twilio, "aus")
    assert "Notdienst AUS" in reply and "nicht als erreichbar" in reply
    db.session.expire_all()
    assert on_duty_now(van) is None
    assert "Kein Notdienst per SMS aktiv" in sms(client, twilio, "AUS")


def test_an_bis_ends_at_the_stated_time(client, twilio, van):
    reply = sms(client, twilio, "AN BIS 22:30")
    (shift, _) = db.session.scalars(select(RosterShift)).all()
    end = shift.ends_at.astimezone(BERLIN)
    assert (end.hour, end.minute) == (22, 30) and "22:30" in reply
    assert timedelta(0) < shift.ends_at - datetime.now(UTC) <= timedelta(hours=24)
    # AN again extends the running duty instead of adding shifts.
    sms(client, twilio, "an bis 23.00 uhr")
    shifts = db.session.scalars(select(RosterShift)).all()
    assert len(shifts) == 2 and {s.ends_at.astimezone(BERLIN).hour for s in shifts} == {23}


def test_an_lasts_until_the_next_regular_opening(client, twilio):
    now = datetime.now(UTC)
    opens = (now + timedelta(hours=3)).astimezone(BERLIN)
    hours = f"{opens:%H}:00-{opens:%H}:59"
    factories.business(opening_hours=hours, mobile=BUSINESS_MOBILE)
    sms(client, twilio, "AN")
    (shift,) = db.session.scalars(select(RosterShift)).all()
    assert shift.ends_at.astimezone(BERLIN).strftime("%H:%M") == f"{opens:%H}:00"


def test_ja_confirms_the_planned_shift_and_the_search_says_so(client, twilio, van):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    shift = factories.shift(van, "klempner", now - timedelta(hours=1), now + timedelta(hours=5))
    listed = on_duty_now(van)
    assert listed["on_duty"] and listed["duty_confirmed"] is False
    status = sms(client, twilio, "status")
    assert "laut Notdienstplan" in status and "nicht bestätigt" in status
    reply = sms(client, twilio, "Ja!")
    assert "Notdienst bestätigt" in reply
    db.session.refresh(shift)
    assert shift.confirmed_at is not None
    assert on_duty_now(van)["duty_confirmed"] is True
    response = client.get(f"/api/v1/search?lat={van.lat}&lon={van.lon}&trade=klempner")
    assert response.json["results"][0]["duty_confirmed"] is True
    assert "kein Notdienst zur Bestätigung" in sms(client, twilio, "JA")


def test_unknown_sender_learns_nothing_and_changes_nothing(client, twilio, van):
    for text in ("AN", "STATUS", "JA", "AUS"):
        reply = sms(client, twilio, text, sender="+491609999999")
        assert f"<Message>{UNKNOWN_SENDER}</Message>" in reply
        assert van.name not in reply
    assert db.session.scalars(select(RosterShift)).all() == []
    assert {r.business_id for r in db.session.scalars(select(InboundSms))} == {None}


def test_an_inactive_business_counts_as_unknown(client, twilio):
    factories.business(active=False, mobile=BUSINESS_MOBILE)
    assert UNKNOWN_SENDER in sms(client, twilio, "AN")
    assert db.session.scalars(select(RosterShift)).all() == []


def test_the_same_message_sid_twice_changes_nothing_twice(client, twilio, van):
    first = sms(client, twilio, "AN", sid="SM-repeated")
    sms(client, twilio, "AUS", sid="SM-other")
    again = sms(client, twilio, "AN", sid="SM-repeated")  # Twilio's retry of the first
    assert again == first
    assert on_duty_now(van) is None
    assert db.session.query(InboundSms).count() == 2


def test_anything_else_gets_the_list_of_commands(client, twilio, van):
    reply = sms(client, twilio, "Hallo, wie geht das?")
    assert "AN BIS 22:00" in reply and "STATUS" in reply
    assert db.session.scalars(select(RosterShift)).all() == []


def test_forged_sms_is_refused(client, twilio, van):
    params = {"MessageSid": "SM-forged", "From": BUSINESS_MOBILE, "Body": "AN"}
    assert twilio_post(client, SMS_URL, params, "not-our-token").status_code == 403
    assert client.post("/twilio/sms", data=params).status_code == 403
    assert db.session.scalars(select(RosterShift)).all() == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [("AN", "on"), ("an bis 7", "on"), ("NOTDIENST AUS", "off"), ("Status.", "status"),
     ("ja", "confirm"), ("AN BIS 25:00", "unknown"), ("STOP", "unknown"), ("HELP", "unknown")],
)  # fmt: skip
def test_commands(text, kind):
    assert parse_command(text).kind == kind


def test_no_command_is_a_word_twilio_handles_itself():
    commands = ("AN", "NOTDIENST AN", "AN BIS 22:00", "AUS", "NOTDIENST AUS", "STATUS", "JA")
    for command in commands:
        assert not set(normalise(command).split()) & TWILIO_RESERVED
