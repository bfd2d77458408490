"""Places autocomplete, business details and anonymous call events."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from backend.calls.models import CallEvent
from backend.extensions import db
from tests import factories


def test_places_by_postcode_prefix(client):
    places = client.get("/api/v1/places?q=3882").json
    assert places and all(p["postcode"].startswith("3882") for p in places)
    assert places[0]["label"] == "38820 Halberstadt"


def test_places_by_name_prefix(client):
    places = client.get("/api/v1/places", query_string={"q": "Quedl"}).json
    assert places[0]["name"] == "Quedlinburg" and places[0]["land"] == "ST"


def test_places_requires_q(client):
    response = client.get("/api/v1/places")
    assert response.status_code == 422
    assert response.json["errors"][0]["parameter"] == "q"


def test_business_details_and_404(client):
    business = factories.business(name="Glaserei Demo", trades=("glaser",))
    body = client.get(f"/api/v1/businesses/{business.id}").json
    assert body["name"] == "Glaserei Demo" and body["trades"] == ["glaser"]
    missing = client.get("/api/v1/businesses/999999")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_call_event_is_anonymous_and_idempotent(client):
    business = factories.business()
    call_id = str(uuid.uuid4())
    payload = {"id": call_id, "business_id": business.id, "category": "wasser", "channel": "app"}
    assert client.post("/api/v1/calls", json=payload).status_code == 204
    assert client.post("/api/v1/calls", json=payload).status_code == 204  # re-sent beacon
    events = db.session.scalars(select(CallEvent)).all()
    assert len(events) == 1
    assert events[0].category == "wasser" and events[0].reached is None
    outcome = client.post(f"/api/v1/calls/{call_id}/outcome", json={"reached": False})
    assert outcome.status_code == 204
    db.session.expire_all()
    assert db.session.scalars(select(CallEvent)).one().reached is False


def test_call_event_errors(client):
    business = factories.business()
    bad_category = {"id": str(uuid.uuid4()), "business_id": business.id, "category": "x"}
    assert client.post("/api/v1/calls", json=bad_category).status_code == 422
    unknown_business = {"id": str(uuid.uuid4()), "business_id": 424242}
    response = client.post("/api/v1/calls", json=unknown_business)
    assert response.status_code == 422
    assert response.json["errors"][0]["parameter"] == "business_id"
    assert client.post("/api/v1/calls", data="not json").status_code == 422
    outcome = client.post(f"/api/v1/calls/{uuid.uuid4()}/outcome", json={"reached": True})
    assert outcome.status_code == 404


def test_openapi_document_validates(client):
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    assert "/api/v1/search" in spec["paths"]
    parameters = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"lat", "lon", "postcode", "place", "emergency", "trade", "at", "limit"} <= parameters


def test_docs_page_lists_every_operation_without_third_party_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for path in ("/api/v1/search", "/api/v1/places", "/api/v1/calls", "/api/v1/emergencies"):
        assert path in html
    assert "radius_km" in html
    assert "http://" not in html and "https://" not in html.replace("https://schnellruf", "")
    with client.get("/api/v1/docs-static/api-docs.css") as css:
        assert css.status_code == 200 and css.mimetype == "text/css"


def test_large_json_answers_are_gzipped_for_clients_that_accept_it(client):
    import gzip
    import json

    plain = client.get("/api/v1/emergencies")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/api/v1/emergencies", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert json.loads(gzip.decompress(packed.get_data())) == plain.json
    small = client.get("/api/v1/health", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers
