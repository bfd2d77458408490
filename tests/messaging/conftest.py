"""Messaging fixtures: the fake Twilio REST server, the app pointed at it, a real RQ worker."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from twilio.request_validator import RequestValidator

from backend.extensions import db, limiter
from backend.messaging.queue import messaging_queue
from backend.messaging.worker import run_worker
from tests import factories
from tests.messaging.fake_twilio import FakeTwilio

PUBLIC_BASE_URL = "https://schnellruf.example"
FROM_NUMBER = "+4932221234567"
RESIDENT = "+491701234567"
BUSINESS_MOBILE = "+491717654321"


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilio]:
    """One fake Twilio server for the session (requests are forgotten per test)."""
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def twilio(
    app: Flask, app_context: None, fake_twilio: FakeTwilio, redis_client
) -> Iterator[FakeTwilio]:
    """The app sends through the real twilio client to the fake, on a queue of this test."""
    settings = {
        "MESSAGING_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
        "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_BASE_URL": fake_twilio.base_url,
        "TWILIO_TIMEOUT_S": 2,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        # Retries at once: the real backoff is configuration, not what these tests wait for.
        "MESSAGING_RETRY_INTERVALS_S": [0, 0],
        "MESSAGING_QUEUE": f"test-messaging-{uuid.uuid4().hex[:8]}",
    }
    # The limits too: tests lower them, and later tests (the widget's form) must not inherit it.
    limits = [f"CALLBACK_LIMIT_PER_{what}" for what in ("ADDRESS", "NUMBER", "BUSINESS")]
    saved = {key: app.config.get(key) for key in (*settings, *limits)}
    app.config.update(settings)
    fake_twilio.reset()
    # The limiter is one object: another app created in this session (tests of the
    # cache build their own) may have pointed it elsewhere. Back to this app's Redis.
    limiter.init_app(app)
    limiter.reset()
    yield fake_twilio
    messaging_queue().empty()
    app.config.update(saved)


def work_queue(app: Flask) -> None:
    """Run a real RQ worker (burst: until the queue is empty) in a thread of its own."""
    db.session.commit()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            run_worker(app, burst=True, with_scheduler=False)
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the worker did not finish"
    assert not errors, errors
    db.session.rollback()  # see what the worker committed


def twilio_post(
    client, url: str, params: dict[str, str], token: str, *, signature: str | None = None
):
    """POST as Twilio does: to the path of ``url``, signed over the full public URL."""
    assert url.startswith(PUBLIC_BASE_URL), url
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    return client.post(
        url[len(PUBLIC_BASE_URL) :], data=params, headers={"X-Twilio-Signature": signature}
    )


@pytest.fixture
def plumber():
    """A listed business with a mobile for SMS."""
    return factories.business(name="Sanitär Test (Demo)", mobile=BUSINESS_MOBILE)
