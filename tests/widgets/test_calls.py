"""A call from the widget: an anonymous call event with channel "widget" and the city."""

import uuid

from sqlalchemy import select

from backend.calls.models import CallEvent
from backend.extensions import db


def post(client, body, slug="halberstadt"):
    return client.post(f"/widget/{slug}/calls", json=body)


def test_call_is_recorded_with_channel_and_city(client, businesses, city):
    call_id = str(uuid.uuid4())
    body = {"id": call_id, "business_id": businesses["near"].id, "category": "wasser"}
    assert post(client, body).status_code == 204
    assert post(client, body).status_code == 204  # a re-sent beacon is stored once
    (event,) = db.session.scalars(select(CallEvent)).all()
    assert (event.public_id, event.channel, event.city_id, event.category) == (
        call_id, "widget", city.id, "wasser",
    )  # fmt: skip
    assert "Set-Cookie" not in post(client, {**body, "id": str(uuid.uuid4())}).headers


def test_bad_call_events_are_refused_and_store_nothing(client, businesses):
    ok_id = businesses["near"].id
    bodies = [
        {"id": "x", "business_id": ok_id},
        {"id": str(uuid.uuid4())},
        {"id": str(uuid.uuid4()), "business_id": 999999},
        {"id": str(uuid.uuid4()), "business_id": ok_id, "category": "vulkan"},
    ]
    for body in bodies:
        response = post(client, body)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
    assert (
        post(client, {"id": str(uuid.uuid4()), "business_id": ok_id}, "atlantis").status_code == 404
    )
    assert db.session.scalars(select(CallEvent)).all() == []


def test_call_events_are_limited_per_address(app, client, businesses, monkeypatch):
    # The allowance the API's call events use (backend.core.limits.call_event_limit).
    monkeypatch.setitem(app.config, "CALL_EVENT_LIMIT_PER_ADDRESS", "2 per minute")
    body = {"business_id": businesses["near"].id, "category": "wasser"}
    codes = [post(client, {**body, "id": str(uuid.uuid4())}).status_code for _ in range(3)]
    assert codes == [204, 204, 429]
    limited = post(client, {**body, "id": str(uuid.uuid4())})
    assert limited.mimetype == "application/problem+json"
    other = client.post(
        "/widget/halberstadt/calls",
        json={**body, "id": str(uuid.uuid4())},
        environ_base={"REMOTE_ADDR": "192.0.2.77"},
    )
    assert other.status_code == 204  # another address has its own allowance
    assert len(db.session.scalars(select(CallEvent)).all()) == 3


def test_a_body_that_is_not_an_object_is_a_422_problem(client, businesses):
    for body in ("[1]", '"x"', "null", "{", "7"):
        response = client.post("/widget/halberstadt/calls", data=body, content_type="text/plain")
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"


def test_ids_are_checked_as_the_api_checks_them(client, businesses):
    for business_id in (2**31, 2**63, True, "١", 1.5):
        body = {"id": str(uuid.uuid4()), "business_id": business_id}
        response = post(client, body)
        assert response.status_code == 422, business_id
        assert response.json["errors"][0]["parameter"] == "business_id"
    assert db.session.scalars(select(CallEvent)).all() == []


def test_a_category_none_of_the_business_trades_help_with_is_refused(client, businesses):
    body = {"id": str(uuid.uuid4()), "business_id": businesses["near"].id, "category": "strom"}
    assert post(client, body).status_code == 422
    assert db.session.scalars(select(CallEvent)).all() == []


def test_a_replayed_id_for_another_business_is_a_conflict(client, businesses):
    call_id = str(uuid.uuid4())
    assert post(client, {"id": call_id, "business_id": businesses["near"].id}).status_code == 204
    replay = post(client, {"id": call_id, "business_id": businesses["electric"].id})
    assert replay.status_code == 409 and replay.mimetype == "application/problem+json"
    (event,) = db.session.scalars(select(CallEvent)).all()
    assert event.business_id == businesses["near"].id
