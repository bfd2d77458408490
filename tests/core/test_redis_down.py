"""Redis down: searches answered, rate limits per process, queued messages wait."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from backend.extensions import db
from backend.messaging.housekeeping import run_housekeeping
from backend.messaging.models import OutboundMessage
from backend.messaging.queue import messaging_queue
from backend.messaging.worker import run_worker
from scripts.scratch_services import free_port
from tests import factories
from tests.conftest import TEST_REDIS_URL
from tests.core.ops_apps import SEARCH, dispose, make_app


@pytest.fixture(scope="module")
def no_redis_app(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app whose REDIS_URL points where no Redis listens (cache, limits, queue)."""
    path = tmp_path_factory.mktemp("no-redis") / "db.sqlite"
    no_redis_app = make_app(
        f"sqlite:///{path}",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        MESSAGING_QUEUE=f"test-no-redis-{uuid.uuid4().hex[:8]}",
    )
    yield no_redis_app
    dispose(no_redis_app, app)


def test_searches_are_answered_without_the_cache(no_redis_app: Flask):
    client = no_redis_app.test_client()
    for _ in range(2):
        response = client.get(SEARCH)
        assert response.status_code == 200 and response.json["emergency"] == "wasser"


def test_rate_limits_fall_back_to_the_process(no_redis_app: Flask):
    client = no_redis_app.test_client()
    # "10/hour" per address on resetting a calendar link (an unknown link is 404).
    statuses = [client.post("/calendar/betrieb/unbekannt/reset").status_code for _ in range(11)]
    assert statuses == [404] * 10 + [429]


def test_a_callback_request_waits_for_redis_and_is_then_delivered(no_redis_app: Flask):
    client = no_redis_app.test_client()
    with no_redis_app.app_context():
        business_id = factories.business(mobile="+491717654321").id
        db.session.commit()
    body = {"business_id": business_id, "phone": "0170 1234567", "consent": True}
    response = client.post("/api/v1/callbacks", json={**body, "emergency": "wasser"})
    assert response.status_code == 202
    assert client.get(f"/api/v1/callbacks/{response.json['id']}").json["state"] == "queued"
    with no_redis_app.app_context():
        assert [m.status for m in db.session.scalars(select(OutboundMessage))] == ["queued"]
    # Redis is back: the worker's housekeeping enqueues what waited, the worker delivers.
    no_redis_app.config["REDIS_URL"] = TEST_REDIS_URL
    with no_redis_app.app_context():
        done = run_housekeeping(datetime.now(UTC) + timedelta(hours=1))
        db.session.commit()
        assert done["requeued"] == 1
    assert run_worker(no_redis_app, burst=True, with_scheduler=False)
    with no_redis_app.app_context():
        assert [m.status for m in db.session.scalars(select(OutboundMessage))] != ["queued"]
        messaging_queue().empty()
    assert client.get(f"/api/v1/callbacks/{response.json['id']}").json["state"] != "queued"
