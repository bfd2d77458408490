"""The console's messaging pages: sent messages (numbers only for the guild's staff, never a
resident's), duty by SMS listed and ended, unconfirmed shifts listed and marked seen."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.messaging.duty_notices import send_duty_notices
from backend.messaging.models import DutyNotice, OutboundMessage
from backend.organisations.operations import create_city
from tests import factories
from tests.console.staff_helpers import csrf_token, make_account, sign_in
from tests.messaging.conftest import PUBLIC_BASE_URL, twilio_post, work_queue
from tests.messaging.test_duty_sms import on_duty_now

VAN_MOBILE = "+491609876543"


@pytest.fixture
def staff_browser(app, app_context):
    """A browser signed in as staff of the test businesses' guild."""
    guild = factories.guild()
    db.session.commit()
    browser = app.test_client()
    sign_in(browser, make_account("guild_staff", guild=guild))
    return browser


def callback_by_console_provider(app, client, twilio, plumber) -> None:
    """A callback as ``make run`` makes it: console provider, real worker, nobody answers."""
    app.config["MESSAGING_PROVIDER"] = "console"
    body = {"business_id": plumber.id, "phone": "0170 1234567", "consent": True}
    assert client.post("/api/v1/callbacks", json=body).status_code == 202
    work_queue(app)  # the call; nobody answers a console call: the SMS is queued
    work_queue(app)


def test_sent_messages_are_listed_for_the_guild_staff(app, client, twilio, plumber, staff_browser):
    callback_by_console_provider(app, client, twilio, plumber)
    html = staff_browser.get("/console/messaging/").get_data(as_text=True)
    assert "Gesendete Nachrichten" in html and plumber.name in html
    assert "Rückruf: Anruf beim Betrieb" in html and "Rückruf: SMS mit der Nummer" in html
    assert html.count(">console</td>") == 2 and html.count(">gesendet</td>") == 2
    assert "0171 7654321" in html  # the business's mobile, for its own guild's staff
    assert "Rückrufbitte" in html  # the SMS text is shown ...
    assert "0170 1234567" not in html and "+491701234567" not in html  # ... not the resident's
    assert "+49********67" in html
    english = staff_browser.get("/console/messaging/?lang=en").get_data(as_text=True)
    assert "Sent messages" in english and "Callback: SMS with the number" in english


def test_city_editors_see_the_list_without_numbers(app, client, twilio, plumber):
    callback_by_console_provider(app, client, twilio, plumber)
    city = create_city("halberstadt", "Halberstadt", 51.8958, 11.0467, actor="test")
    db.session.commit()
    browser = app.test_client()
    sign_in(browser, make_account("city_editor", city=city))
    html = browser.get(f"/console/messaging/?guild={plumber.guild.slug}").get_data(as_text=True)
    assert plumber.name in html and "0171 7654321" not in html and "+49********21" in html
    assert "Notdienst per SMS" not in html  # the duty pages are for guild staff


def test_a_failed_message_shows_error_and_attempts(app, client, twilio, plumber, staff_browser):
    twilio.fail(3)
    body = {"business_id": plumber.id, "phone": "0170 1234567", "consent": True}
    client.post("/api/v1/callbacks", json=body)
    work_queue(app)
    message = db.session.scalars(select(OutboundMessage)).one()
    assert message.status == "failed" and message.attempts == 3
    html = staff_browser.get("/console/messaging/?status=failed").get_data(as_text=True)
    assert "fehlgeschlagen" in html and "(2 Wiederholung(en))" in html
    assert message.last_error.split(":")[0] in html and ">twilio</td>" in html
    assert "Noch keine Nachrichten." in staff_browser.get(
        "/console/messaging/?status=open"
    ).get_data(as_text=True)


def test_duty_by_sms_is_listed_and_ended_from_the_console(app, client, twilio, staff_browser):
    van = factories.business(name="Notdienst Van (Demo)", opening_hours=None, mobile=VAN_MOBILE)
    params = {"MessageSid": "SM-an", "From": VAN_MOBILE, "Body": "AN"}
    twilio_post(client, f"{PUBLIC_BASE_URL}/twilio/sms", params, twilio.auth_token)
    assert on_duty_now(van)["on_duty"]
    html = staff_browser.get("/console/messaging/duty").get_data(as_text=True)
    assert "Notdienst Van (Demo)" in html and "Klempner" in html
    action = re.search(r'action="(/console/messaging/duty/\d+/end)"', html).group(1)
    token = csrf_token(staff_browser, "/console/messaging/duty")
    done = staff_browser.post(action, data={"csrf_token": token}, follow_redirects=True)
    assert "Notdienst per SMS von Notdienst Van (Demo) beendet." in done.get_data(as_text=True)
    assert "Kein Betrieb ist gerade per SMS im Notdienst." in done.get_data(as_text=True)
    db.session.expire_all()
    assert on_duty_now(van) is None  # in the search at once
    entry = db.session.scalars(select(AuditLogEntry).where(
        AuditLogEntry.action == "sms_duty_end")).one()  # fmt: skip
    assert entry.entity_id == str(van.id) and entry.changes[0].field == "sms_duty_until"


def test_end_without_csrf_token_changes_nothing(app, client, twilio, staff_browser):
    van = factories.business(opening_hours=None, mobile=VAN_MOBILE)
    params = {"MessageSid": "SM-an2", "From": VAN_MOBILE, "Body": "AN"}
    twilio_post(client, f"{PUBLIC_BASE_URL}/twilio/sms", params, twilio.auth_token)
    response = staff_browser.post(f"/console/messaging/duty/{van.id}/end")
    assert response.status_code == 400
    token = csrf_token(staff_browser, "/console/messaging/duty")
    for url in ("/console/messaging/duty/99999999999/end", "/console/messaging/alerts/9/seen"):
        assert staff_browser.post(url, data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert on_duty_now(van)["on_duty"]


def test_unconfirmed_shifts_are_listed_and_marked_seen(app, twilio, plumber, staff_browser):
    start = datetime.now(UTC) - timedelta(minutes=5)
    factories.shift(plumber, "klempner", start, start + timedelta(hours=10))
    assert send_duty_notices(datetime.now(UTC))["duty_alerts"] == 1
    db.session.commit()
    html = staff_browser.get("/console/messaging/alerts").get_data(as_text=True)
    assert plumber.name in html and "Nicht bestätigte Notdienste" in html and "Klempner" in html
    action = re.search(r'action="(/console/messaging/alerts/\d+/seen)"', html).group(1)
    token = csrf_token(staff_browser, "/console/messaging/alerts")
    done = staff_browser.post(action, data={"csrf_token": token}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "Als gesehen markiert." in text and "Keine offenen Meldungen." in text
    notice = db.session.scalars(select(DutyNotice).where(DutyNotice.kind == "alert")).one()
    db.session.refresh(notice)
    assert notice.seen_at is not None
    assert db.session.scalar(select(AuditLogEntry.action).where(
        AuditLogEntry.entity_type == "DutyNotice")) == "duty_alert_seen"  # fmt: skip
