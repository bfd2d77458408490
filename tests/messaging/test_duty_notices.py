"""Confirmed duty: the request before a planned shift, the reminder the day before, JA, and
the staff alert when a shift starts unconfirmed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.messaging.duty_notices import open_alerts, send_duty_notices
from backend.messaging.housekeeping import run_housekeeping
from backend.messaging.models import DutyNotice, OutboundMessage
from backend.messaging.queue import HOUSEKEEPING_JOB, messaging_queue
from tests import factories
from tests.messaging.conftest import BUSINESS_MOBILE, PUBLIC_BASE_URL, twilio_post, work_queue

# Saturday 18:00 to Monday 07:00 in Berlin (winter time, UTC+1).
START = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
END = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def weekend_shifts(business):
    return [
        factories.shift(business, slug, START, END)
        for slug in ("klempner", "installateur-heizungsbauer")
    ]


def test_request_reminder_and_ja(app, client, twilio):
    business = factories.business(
        trades=("klempner", "installateur-heizungsbauer"), mobile=BUSINESS_MOBILE
    )
    shifts = weekend_shifts(business)
    assert send_duty_notices(START - timedelta(hours=80))["duty_requests"] == 0  # too early
    assert send_duty_notices(START - timedelta(hours=70))["duty_requests"] == 1
    assert send_duty_notices(START - timedelta(hours=69))["duty_requests"] == 0  # once
    work_queue(app)
    (request,) = twilio.sent("sms")
    assert request.value("To") == BUSINESS_MOBILE
    body = request.value("Body")
    assert "Sie haben Notdienst Sa 18:00 – Mo 07:00 für" in body and "Antworten Sie JA" in body
    assert "Installateur und Heizungsbauer" in body and "Klempner" in body

    assert send_duty_notices(START - timedelta(hours=30))["duty_reminders"] == 0
    assert send_duty_notices(START - timedelta(hours=20))["duty_reminders"] == 1
    assert send_duty_notices(START - timedelta(hours=19))["duty_reminders"] == 0
    work_queue(app)
    assert "Erinnerung" in twilio.sent("sms")[1].value("Body")

    # JA (within the lead: the webhook uses the current time, so move the shifts near it).
    now = datetime.now(UTC).replace(microsecond=0)
    for shift in shifts:
        shift.starts_at, shift.ends_at = now + timedelta(hours=2), now + timedelta(hours=20)
    db.session.commit()
    params = {"MessageSid": "SM-ja", "From": BUSINESS_MOBILE, "Body": "JA"}
    reply = twilio_post(client, f"{PUBLIC_BASE_URL}/twilio/sms", params, twilio.auth_token)
    assert "Notdienst bestätigt" in reply.get_data(as_text=True)
    for shift in shifts:
        db.session.refresh(shift)
        assert shift.confirmed_at is not None
    assert send_duty_notices(now + timedelta(hours=3))["duty_alerts"] == 0


def test_unconfirmed_start_alerts_the_staff_once(app, twilio):
    business = factories.business(mobile=BUSINESS_MOBILE)
    factories.shift(business, "klempner", START, END)
    silent = factories.business()  # no mobile: never asked, still alerted
    factories.shift(silent, "klempner", START, END)
    assert send_duty_notices(START - timedelta(hours=1))["duty_alerts"] == 0
    assert send_duty_notices(START + timedelta(minutes=1))["duty_alerts"] == 2
    assert send_duty_notices(START + timedelta(minutes=2))["duty_alerts"] == 0
    db.session.commit()
    assert {shift.business_id for _, shift in open_alerts()} == {business.id, silent.id}
    assert db.session.scalars(select(OutboundMessage)).all() != []  # the request to the first
    assert all(m.to_phone == BUSINESS_MOBILE for m in db.session.scalars(select(OutboundMessage)))


def test_sms_duty_is_never_asked_to_be_confirmed(app, twilio):
    business = factories.business(mobile=BUSINESS_MOBILE)
    shift = factories.shift(business, "klempner", START, END)
    shift.source, shift.confirmed_at = "sms", START
    db.session.commit()
    done = send_duty_notices(START - timedelta(hours=10))
    assert done == {"duty_requests": 0, "duty_reminders": 0, "duty_alerts": 0}
    assert db.session.scalars(select(DutyNotice)).all() == []


def test_the_worker_runs_the_housekeeping_job(app, twilio):
    business = factories.business(mobile=BUSINESS_MOBILE)
    now = datetime.now(UTC)
    factories.shift(business, "klempner", now + timedelta(hours=5), now + timedelta(hours=9))
    messaging_queue().enqueue(HOUSEKEEPING_JOB)
    work_queue(app)  # runs housekeeping, which queues the request; then delivers it
    (request,) = twilio.sent("sms")
    assert "Antworten Sie JA" in request.value("Body")
    assert run_housekeeping(now)["duty_requests"] == 0
