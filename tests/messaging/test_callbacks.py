"""Callback requests end to end: API, real RQ worker, real twilio client, fake Twilio, webhooks."""

from __future__ import annotations

from backend.extensions import db
from backend.messaging.models import CallbackRequest, OutboundMessage
from tests.messaging.conftest import (
    BUSINESS_MOBILE,
    FROM_NUMBER,
    RESIDENT,
    twilio_post,
    work_queue,
)


def ask(client, business_id: int, phone: str = "0170 1234567", **extra):
    body = {"business_id": business_id, "phone": phone, "consent": True, "emergency": "wasser"}
    return client.post("/api/v1/callbacks", json={**body, **extra})


def state(client, public_id: str) -> dict:
    response = client.get(f"/api/v1/callbacks/{public_id}")
    assert response.status_code == 200
    return response.json


def test_business_presses_1_and_is_bridged_to_the_resident(app, client, twilio, plumber):
    response = ask(client, plumber.id)
    assert response.status_code == 202
    public_id = response.json["id"]
    assert response.json["state"] == "queued"
    assert twilio.requests == []  # nothing is sent inside the resident's request

    work_queue(app)
    (call,) = twilio.sent("call")
    assert call.user == twilio.account_sid
    assert call.value("To") == plumber.phone and call.value("From") == FROM_NUMBER
    assert state(client, public_id)["state"] == "calling_business"

    voice = twilio_post(client, call.value("Url"), {"CallSid": "x"}, twilio.auth_token)
    assert voice.status_code == 200 and voice.mimetype == "text/xml"
    text = voice.get_data(as_text=True)
    assert '<Say language="de-DE">' in text and "Wasserrohrbruch" in text
    assert "drücken Sie 1" in text and '<Gather action="' in text

    gather_url = text.split('<Gather action="')[1].split('"')[0]
    bridged = twilio_post(client, gather_url, {"Digits": "1"}, twilio.auth_token)
    xml = bridged.get_data(as_text=True)
    assert f">{RESIDENT}</Dial>" in xml and f'callerId="{FROM_NUMBER}"' in xml
    now = state(client, public_id)
    assert now["state"] == "connected" and now["final"] is True
    assert "Telefon klingelt" in now["message_de"]

    # The call ends normally afterwards: still connected, no SMS.
    status = twilio_post(
        client, call.value("StatusCallback"),
        {"CallSid": _sid(public_id), "CallStatus": "completed"}, twilio.auth_token,
    )  # fmt: skip
    assert status.status_code == 204
    work_queue(app)
    assert state(client, public_id)["state"] == "connected"
    assert twilio.sent("sms") == []


def test_not_answered_sends_the_number_by_sms_and_tells_the_resident(app, client, twilio, plumber):
    public_id = ask(client, plumber.id).json["id"]
    work_queue(app)
    (call,) = twilio.sent("call")
    params = {"CallSid": _sid(public_id), "CallStatus": "no-answer"}
    assert (
        twilio_post(client, call.value("StatusCallback"), params, twilio.auth_token).status_code
        == 204
    )
    # Twilio repeats the report: nothing happens twice.
    twilio_post(client, call.value("StatusCallback"), params, twilio.auth_token)
    work_queue(app)

    (sms,) = twilio.sent("sms")
    assert sms.value("To") == BUSINESS_MOBILE
    assert "0170 1234567" in sms.value("Body") and "Wasserrohrbruch" in sms.value("Body")
    now = state(client, public_id)
    assert now["state"] == "business_not_answered" and now["business_notified_by_sms"] is True
    assert "nächsten" in now["message_de"] and "next business" in now["message_en"]

    message = db.session.query(OutboundMessage).filter_by(purpose="callback_sms").one()
    delivered = twilio_post(
        client, sms.value("StatusCallback"), {"MessageSid": message.provider_sid,
        "MessageStatus": "delivered"}, twilio.auth_token,
    )  # fmt: skip
    assert delivered.status_code == 204
    db.session.refresh(message)
    assert message.status == "delivered"


def test_twilio_down_is_recorded_retried_and_the_resident_told(app, client, twilio, plumber):
    twilio.down = True
    public_id = ask(client, plumber.id).json["id"]
    work_queue(app)
    assert len(twilio.sent("call")) == 3  # the first attempt and two retries
    message = db.session.query(OutboundMessage).one()
    assert message.status == "failed" and message.attempts == 3
    assert "503" in message.last_error
    now = state(client, public_id)
    assert now["state"] == "failed" and "direkt an" in now["message_de"]


def test_one_failure_is_retried_and_the_call_goes_out(app, client, twilio, plumber):
    twilio.fail(1, status=500)
    public_id = ask(client, plumber.id).json["id"]
    work_queue(app)
    assert len(twilio.sent("call")) == 2
    message = db.session.query(OutboundMessage).one()
    assert (message.status, message.attempts) == ("sent", 2)
    assert state(client, public_id)["state"] == "calling_business"


def test_a_refused_number_is_not_retried(app, client, twilio, plumber):
    twilio.fail(1, status=400)
    public_id = ask(client, plumber.id).json["id"]
    work_queue(app)
    assert len(twilio.sent("call")) == 1
    assert state(client, public_id)["state"] == "failed"


def test_a_timeout_counts_as_an_outage(app, client, twilio, plumber):
    app.config["TWILIO_TIMEOUT_S"] = 0.2
    twilio.delay_s = 0.5
    ask(client, plumber.id)
    work_queue(app)
    message = db.session.query(OutboundMessage).one()
    assert message.status == "failed" and "not reachable" in message.last_error


def _sid(public_id: str) -> str:
    return db.session.query(CallbackRequest).filter_by(public_id=public_id).one().call_sid
