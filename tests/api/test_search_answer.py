"""The search answer is built without a schema pass: it must be exactly what SearchOut says."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event

from backend.extensions import db
from backend.reference import catalogue as reference
from backend.search.schemas import BusinessOut, SearchOut
from tests import factories

WEDNESDAY_10 = "2026-11-25T10:00:00+01:00"
SATURDAY_10 = "2026-11-28T10:00:00+01:00"


@pytest.fixture
def businesses(app_context):
    """A fully described business with two trades and a shift, and a sparse one."""
    full = factories.business(
        name="Dach & Rohr Hoffmann (Demo)",
        trades=("dachdecker", "klempner"),
        lat=51.9,
        lon=11.05,
        street="Fischmarkt 1",
        website="https://dach-rohr.example",
        emergency_phone="+491711234567",
        emergency_hours="Sa 08:00-12:00",
        callout_price_eur=Decimal("49.50"),
        meisterbetrieb=True,
        accepts_new_customers=False,
        verified_at=datetime(2026, 11, 20, 9, 30, 15, tzinfo=UTC),
    )
    factories.shift(
        full,
        "klempner",
        datetime(2026, 11, 28, 14, 0, tzinfo=UTC),
        datetime(2026, 11, 28, 20, 0, tzinfo=UTC),
    )
    sparse = factories.business(
        name="Klempnerei Sparsam (Demo)", lat=51.91, lon=11.05, city=None, postcode=None
    )
    return full, sparse


def search(client, **params):
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.json
    return response


@pytest.mark.parametrize("at", [WEDNESDAY_10, SATURDAY_10, "2026-12-25T03:00:00Z"])
@pytest.mark.parametrize("available", ["now", "any"])
def test_answer_round_trips_through_the_schema(client, businesses, at, available):
    """Loading and dumping with SearchOut changes nothing: no missing, extra or odd values."""
    body = search(client, postcode="38820", emergency="dach", at=at, available=available).json
    schema = SearchOut()
    assert schema.dump(schema.load(body)) == body


def test_answer_values(client, businesses):
    full, sparse = businesses
    body = search(client, postcode="38820", emergency="dach", at=SATURDAY_10, available="any").json
    assert body["at"] == "2026-11-28T10:00:00+01:00"
    assert body["trades"] == ["klempner", "dachdecker", "zimmerer"]
    assert body["safety"] is None
    first, second = body["results"]
    assert (first["id"], second["id"]) == (full.id, sparse.id)
    by_id = sorted(("dachdecker", "klempner"), key=lambda slug: factories.trade(slug).id)
    assert first["trades"] == by_id  # in trade-id order, as on the detail page
    assert first["verified_at"] == "2026-11-20T09:30:15+00:00"
    assert first["callout_price_eur"] == 49.5
    assert first["website"] == "https://dach-rohr.example"
    assert first["phone_e164"] == "+491711234567"
    assert first["available"] is True and first["on_duty"] is False
    assert first["available_until"] == "2026-11-28T12:00:00+01:00"
    assert second["name"] == "Klempnerei Sparsam (Demo)"
    assert second["address"] == {"street": None, "postcode": None, "city": None, "land": "ST"}
    assert second["verified_at"] is None and second["callout_price_eur"] is None
    assert second["available"] is False
    assert second["next_available"] == "2026-11-30T08:00:00+01:00"


def test_shift_and_times_in_berlin(client, businesses):
    body = search(
        client, postcode="38820", trade="klempner", at="2026-11-28T14:30:00Z", available="any"
    ).json
    first = body["results"][0]
    assert first["on_duty"] is True
    assert first["available_until"] == "2026-11-28T21:00:00+01:00"
    assert body["at"] == "2026-11-28T15:30:00+01:00"


def test_search_result_lists_the_business_as_the_detail_page_does(client, businesses):
    full, _ = businesses
    result = search(client, postcode="38820", trade="klempner", at=WEDNESDAY_10).json["results"][0]
    detail = client.get(f"/api/v1/businesses/{full.id}").json
    assert set(detail) == set(BusinessOut().fields)
    assert {key: result[key] for key in detail} == detail


def test_answer_bytes_are_compact_utf8_json(client, businesses):
    """Compact, UTF-8 as is, results last (each: listing, then distance and availability)."""
    response = search(client, postcode="38820", emergency="dach", at=WEDNESDAY_10)
    assert response.mimetype == "application/json"
    text = response.get_data(as_text=True)
    body = response.json
    assert text == json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert list(body)[-1] == "results"
    assert list(body["results"][0])[-5:] == [
        "distance_km", "available", "available_until", "next_available", "on_duty",
    ]  # fmt: skip


def test_inactive_business_has_no_detail_page(client):
    business = factories.business(active=False)
    assert client.get(f"/api/v1/businesses/{business.id}").status_code == 404


def test_reference_data_is_not_read_per_request(client, businesses, monkeypatch):
    search(client, postcode="38820", emergency="dach", at=WEDNESDAY_10)  # warm
    monkeypatch.setattr(reference, "load_catalogue", _must_not_be_called)
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        answers = [
            search(client, postcode="38820", emergency="wasser", at=SATURDAY_10),
            search(client, postcode="38820", trade="dachdecker", at=SATURDAY_10),
        ]
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert [answer.status_code for answer in answers] == [200, 200]
    assert all(answer.json["count"] for answer in answers)  # the search itself did run
    for statement in statements:
        assert "emergency_categories" not in statement
        assert "FROM trades" not in statement and "JOIN trades" not in statement


def _must_not_be_called():
    raise AssertionError("the reference catalogue was loaded again")
