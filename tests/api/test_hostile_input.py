"""Hostile and sloppy input gets a specific 4xx problem before any work, never a 500.

Each case here was answered with a 500 (or silently accepted as something else) before
the limits of backend/core/limits.py and the strict fields of backend/core/input_fields.py.
"""

from __future__ import annotations

import io
import uuid

import pytest

from backend.core.limits import json_depth
from backend.extensions import limiter
from tests import factories

PROBLEM = "application/problem+json"
SEARCH = {"postcode": "38820", "emergency": "wasser"}


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """Rate limits (kept in Redis across runs) start from zero: these tests are not about them."""
    limiter.init_app(app)
    limiter.reset()


def assert_problem(response, status: int, parameter: str | None = None) -> dict:
    """The response is a problem of ``status``, naming ``parameter`` when given."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.json
    assert body["status"] == status
    if parameter is not None:
        assert parameter in {e["parameter"] for e in body["errors"]}, body
    return body


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b'{"id": "' + b"x" * limit + b'"}'
    response = client.post("/api/v1/calls", data=body, content_type="application/json")
    assert_problem(response, 413)


def test_a_chunked_body_over_the_limit_is_refused(client, app):
    # No Content-Length: the server (gunicorn) marks the stream as ending by itself.
    body = io.BytesIO(b'{"id": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1) + b'"}')
    response = client.post(
        "/api/v1/calls",
        input_stream=body,
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_base={"wsgi.input_terminated": True},
    )
    assert_problem(response, 413)


@pytest.mark.parametrize("path", ["/api/v1/calls", "/api/v1/callbacks", "/widget/x/calls"])
def test_deeply_nested_json_is_a_400_problem(client, path):
    body = "[" * 10_000 + "]" * 10_000
    response = client.post(path, data=body, content_type="application/json")
    assert_problem(response, 400)
    nested = '{"id": ' * 100 + "1" + "}" * 100
    assert_problem(client.post(path, data=nested, content_type="text/plain"), 400)


def test_json_depth_ignores_brackets_inside_strings():
    assert json_depth(b'{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(b"") == 0


def test_ordinary_json_passes_the_depth_check(client):
    business = factories.business()
    call = {"id": str(uuid.uuid4()), "business_id": business.id, "category": "wasser"}
    assert client.post("/api/v1/calls", json=call).status_code == 204


@pytest.mark.parametrize("business_id", [2**31, 2**63, 10**30])
def test_ids_past_the_integer_range_are_404_or_422(client, business_id):
    assert_problem(client.get(f"/api/v1/businesses/{business_id}"), 404)
    call = {"id": str(uuid.uuid4()), "business_id": business_id}
    assert_problem(client.post("/api/v1/calls", json=call), 422, "business_id")
    callback = {"business_id": business_id, "phone": "0151 1234567", "consent": True}
    assert_problem(client.post("/api/v1/callbacks", json=callback), 422, "business_id")


def test_the_largest_id_is_looked_up_and_simply_not_found(client):
    assert_problem(client.get(f"/api/v1/businesses/{2**31 - 1}"), 404)


@pytest.mark.parametrize(
    "at", ["9999-12-18T00:00:00Z", "0001-01-02T00:00:00Z", "0001-01-01T00:30:00+01:00"]
)
def test_dates_far_from_now_are_422(client, at):
    assert_problem(client.get("/api/v1/search", query_string={**SEARCH, "at": at}), 422, "at")


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("lat", "5_1"),
        ("lat", "٥١"),  # Arabic-Indic digits
        ("lat", "51.9\n"),
        ("lat", "nan"),
        ("lon", "1_1"),
        ("postcode", "38820\n"),
        ("postcode", "٣٨٨٢٠"),
        ("limit", "1_0"),
        ("limit", "٥"),
        ("radius_km", "0"),
        ("radius_km", "1_0"),
    ],
)
def test_numbers_and_postcodes_take_ascii_digits_only(client, parameter, value):
    query = {"lat": "51.9", "lon": "11.05", "trade": "klempner"}
    if parameter == "postcode":
        query = {"postcode": value, "trade": "klempner"}
    else:
        query[parameter] = value
    body = assert_problem(client.get("/api/v1/search", query_string=query), 422, parameter)
    assert parameter in body["detail"]


def test_strict_numbers_still_take_ordinary_spellings(client):
    for lat in ("51.9", "+51.9", "51", "5.19e1"):
        query = {"lat": lat, "lon": "11.05", "trade": "klempner", "radius_km": "0.1"}
        assert client.get("/api/v1/search", query_string=query).status_code == 200, lat


@pytest.mark.parametrize("reached", [0, 1, "true", "yes", None, "on"])
def test_reached_must_be_a_json_boolean(client, reached):
    business = factories.business()
    call_id = str(uuid.uuid4())
    client.post("/api/v1/calls", json={"id": call_id, "business_id": business.id})
    response = client.post(f"/api/v1/calls/{call_id}/outcome", json={"reached": reached})
    assert_problem(response, 422, "reached")


@pytest.mark.parametrize("business_id", [True, 1.0, "1", "١"])
def test_ids_in_bodies_are_json_integers(client, business_id):
    factories.business()
    call = {"id": str(uuid.uuid4()), "business_id": business_id}
    assert_problem(client.post("/api/v1/calls", json=call), 422, "business_id")
