"""The resident's number: deleted 24 hours after the request at the latest, never logged;
and the console provider, with which nothing leaves the machine."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from backend.extensions import db
from backend.messaging.models import CallbackRequest, OutboundMessage
from backend.messaging.purge import REDACTED
from backend.messaging.queue import HOUSEKEEPING_JOB, messaging_queue
from tests.messaging.conftest import PUBLIC_BASE_URL, twilio_post, work_queue

DIGITS = "1701234567"
NATIONAL = "0170 1234567"


def not_answered(app, client, twilio, business) -> CallbackRequest:
    body = {"business_id": business.id, "phone": "0170 1234567", "consent": True}
    public_id = client.post("/api/v1/callbacks", json=body).json["id"]
    work_queue(app)
    callback = db.session.query(CallbackRequest).filter_by(public_id=public_id).one()
    if twilio.sent("call"):
        url = twilio.sent("call")[0].value("StatusCallback")
        params = {"CallSid": callback.call_sid, "CallStatus": "busy"}
        twilio_post(client, url, params, twilio.auth_token)
        work_queue(app)
    db.session.refresh(callback)
    return callback


def age(callback: CallbackRequest, hours: float) -> None:
    callback.created_at = datetime.now(UTC) - timedelta(hours=hours)
    db.session.commit()


def test_the_worker_deletes_numbers_after_24_hours(app, client, twilio, plumber):
    old = not_answered(app, client, twilio, plumber)
    assert old.state == "business_not_answered"
    sms = db.session.query(OutboundMessage).filter_by(purpose="callback_sms").one()
    assert NATIONAL in sms.body
    age(old, 24.01)
    messaging_queue().enqueue(HOUSEKEEPING_JOB)
    work_queue(app)
    db.session.refresh(old)
    db.session.refresh(sms)
    assert old.resident_phone is None and old.purged_at is not None
    assert sms.body == REDACTED
    # A late "1" after the purge cannot reach anyone.
    url = f"{PUBLIC_BASE_URL}/twilio/callbacks/{old.public_id}/gather"
    xml = twilio_post(client, url, {"Digits": "1"}, twilio.auth_token).get_data(as_text=True)
    assert "<Dial" not in xml


def test_the_cli_purge_keeps_younger_numbers(app, client, twilio, plumber, runner):
    young = not_answered(app, client, twilio, plumber)
    age(young, 23)
    result = runner.invoke(args=["messaging", "purge"])
    assert "Deleted the numbers of 0 callback requests" in result.output
    age(young, 25)
    result = runner.invoke(args=["messaging", "purge"])
    assert "Deleted the numbers of 1 callback requests older than 24 hours" in result.output
    db.session.refresh(young)
    assert young.resident_phone is None


def test_console_provider_sends_nothing_and_logs_no_number(app, client, twilio, plumber, caplog):
    app.config["MESSAGING_PROVIDER"] = "console"
    with caplog.at_level(logging.DEBUG):
        callback = not_answered(app, client, twilio, plumber)
    assert twilio.requests == []  # nothing left the machine
    assert callback.state == "business_not_answered"  # nobody answers a console call
    messages = db.session.query(OutboundMessage).order_by(OutboundMessage.id).all()
    assert [(m.kind, m.provider, m.status) for m in messages] == [
        ("call", "console", "sent"),
        ("sms", "console", "sent"),
    ]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "console SMS" in logged and "console call" in logged
    assert DIGITS not in logged and NATIONAL not in logged
    state = client.get(f"/api/v1/callbacks/{callback.public_id}").json
    assert state["business_notified_by_sms"] is True


def test_the_twilio_flow_logs_no_resident_number(app, client, twilio, plumber, caplog):
    with caplog.at_level(logging.DEBUG):
        not_answered(app, client, twilio, plumber)
    assert twilio.sent("sms")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert DIGITS not in logged and NATIONAL not in logged
