"""Call events: checked against the business's trades, stored once, limited per client."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from backend.calls.models import CallEvent
from backend.extensions import db, limiter
from tests import factories


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """Rate limits (kept in Redis across runs) start from zero in every test."""
    limiter.init_app(app)
    limiter.reset()


def call(business, **extra) -> dict:
    """A call event body for ``business``."""
    return {"id": str(uuid.uuid4()), "business_id": business.id, **extra}


def events() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(CallEvent))


def test_a_category_must_be_one_the_business_helps_with(client):
    plumber = factories.business(trades=("klempner",))
    response = client.post("/api/v1/calls", json=call(plumber, category="strom"))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["parameter"] == "category"
    gas = client.post("/api/v1/calls", json=call(plumber, category="gasgeruch"))
    assert gas.status_code == 422  # advice only: no business helps with gas smell
    assert client.post("/api/v1/calls", json=call(plumber, category="dach")).status_code == 204
    assert events() == 1


def test_a_replay_with_another_business_is_refused(client):
    first, other = factories.business(), factories.business()
    body = call(first, category="wasser")
    assert client.post("/api/v1/calls", json=body).status_code == 204
    replay = client.post("/api/v1/calls", json={**body, "business_id": other.id})
    assert replay.status_code == 409 and replay.mimetype == "application/problem+json"
    recategorised = client.post("/api/v1/calls", json={**body, "category": "dach"})
    assert recategorised.status_code == 409
    assert client.post("/api/v1/calls", json=body).status_code == 204  # the same beacon again
    (event,) = db.session.scalars(select(CallEvent)).all()
    assert (event.business_id, event.category) == (first.id, "wasser")


def test_the_outcome_is_given_once(client):
    business = factories.business()
    body = call(business)
    client.post("/api/v1/calls", json=body)
    outcome = f"/api/v1/calls/{body['id']}/outcome"
    assert client.post(outcome, json={"reached": True}).status_code == 204
    assert client.post(outcome, json={"reached": True}).status_code == 204  # re-sent
    flipped = client.post(outcome, json={"reached": False})
    assert flipped.status_code == 409 and flipped.mimetype == "application/problem+json"
    db.session.expire_all()
    assert db.session.scalars(select(CallEvent)).one().reached is True


def test_the_same_id_sent_at_once_is_stored_once_without_an_error(app, client):
    business = factories.business()
    threads_per_round, rounds = 8, 10
    statuses: list[int] = []
    for _ in range(rounds):
        body = call(business, category="wasser")
        start = threading.Barrier(threads_per_round)

        def send(body=body, start=start) -> None:
            with app.test_client() as own:
                start.wait()
                statuses.append(own.post("/api/v1/calls", json=body).status_code)

        threads = [threading.Thread(target=send) for _ in range(threads_per_round)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == [204] * (threads_per_round * rounds)
    assert events() == rounds


def test_call_events_are_limited_per_client_in_the_shared_storage(app, client):
    business = factories.business()
    saved = app.config["CALL_EVENT_LIMIT_PER_ADDRESS"]
    app.config["CALL_EVENT_LIMIT_PER_ADDRESS"] = "3 per minute"
    try:
        statuses = [client.post("/api/v1/calls", json=call(business)).status_code for _ in range(3)]
        over = client.post("/api/v1/calls", json=call(business))
        widget = client.post("/widget/nowhere/calls", json=call(business))  # one allowance
        outcome = client.post(f"/api/v1/calls/{uuid.uuid4()}/outcome", json={"reached": True})
        elsewhere = client.post(
            "/api/v1/calls", json=call(business), environ_base={"REMOTE_ADDR": "192.0.2.7"}
        )
    finally:
        app.config["CALL_EVENT_LIMIT_PER_ADDRESS"] = saved
    assert statuses == [204, 204, 204]
    assert over.status_code == 429 and over.mimetype == "application/problem+json"
    assert widget.status_code == 429 and outcome.status_code == 429
    assert elsewhere.status_code == 204
    assert events() == 4
    assert limiter.storage.__class__.__name__.lower().startswith("redis")
