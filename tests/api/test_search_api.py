"""``GET /api/v1/search`` over HTTP: contract, errors as problem+json, CORS."""

from __future__ import annotations

import pytest

from backend import create_app
from backend.extensions import db
from tests import factories

WEDNESDAY_10 = "2026-11-25T10:00:00+01:00"


@pytest.fixture
def plumber(app_context):
    return factories.business(
        name="Klempnerei Krause (Demo)",
        trades=("klempner",),
        lat=51.9,
        lon=11.05,
        phone="+4939411234567",
        emergency_phone="+491711234567",
        callout_price_eur=59,
        innungsbetrieb=True,
    )


def get(client, **params):
    return client.get("/api/v1/search", query_string=params)


def test_search_by_postcode_for_emergency(client, plumber):
    response = get(client, postcode="38820", emergency="wasser", at=WEDNESDAY_10)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["location"]["resolved_by"] == "postcode"
    assert body["location"]["land"] == "ST"
    assert body["emergency"] == "wasser"
    assert body["trades"] == ["installateur-heizungsbauer", "klempner"]
    assert body["safety"]["call_first"] == "112"
    (result,) = body["results"]
    assert result["name"] == "Klempnerei Krause (Demo)"
    assert result["phone_e164"] == "+491711234567"  # the emergency line is the one to call
    assert result["phone_display"] == "0171 1234567"
    assert result["available"] is True
    assert result["available_until"] == "2026-11-25T17:00:00+01:00"
    assert result["next_available"] is None
    assert result["callout_price_eur"] == 59.0
    assert result["innungsbetrieb"] is True
    assert result["trades"] == ["klempner"]
    assert isinstance(result["distance_km"], float)
    assert round(result["distance_km"], 2) == result["distance_km"]


def test_search_by_coordinates_and_trade(client, plumber):
    body = get(client, lat=51.8958, lon=11.0467, trade="klempner", at=WEDNESDAY_10).json
    assert body["location"]["resolved_by"] == "coordinates"
    assert body["safety"] is None
    assert body["count"] == 1


def test_search_by_unique_place_name(client, plumber):
    body = get(client, place="Halberstadt", trade="klempner", at=WEDNESDAY_10).json
    assert body["location"]["resolved_by"] == "place"
    assert body["location"]["label"].endswith("Halberstadt")


def test_gas_smell_gives_advice_and_no_tradespeople(client, plumber):
    body = get(client, postcode="38820", emergency="gasgeruch").json
    assert body["results"] == []
    assert body["safety"]["level"] == "advice_only"
    assert "Gebäude" in body["safety"]["advice_de"]


def assert_problem(response, status, parameter):
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["status"] == status and body["title"] and body["detail"]
    assert parameter in {error["parameter"] for error in body.get("errors", [])}, body
    return body


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"lat": 91, "lon": 11, "trade": "klempner"}, "lat"),
        ({"lat": 51, "lon": 200, "trade": "klempner"}, "lon"),
        ({"lat": 51, "trade": "klempner"}, "lon"),
        ({"lat": "north", "lon": 11, "trade": "klempner"}, "lat"),
        ({"postcode": "3882", "trade": "klempner"}, "postcode"),
        ({"postcode": "00000", "trade": "klempner"}, "postcode"),
        ({"postcode": "38820", "trade": "klempner", "at": "tomorrow"}, "at"),
        ({"postcode": "38820", "trade": "klempner", "at": "2026-11-25T10:00:00"}, "at"),
        ({"postcode": "38820", "trade": "klempner", "limit": 51}, "limit"),
        ({"postcode": "38820", "trade": "klempner", "limit": 0}, "limit"),
        ({"postcode": "38820", "trade": "klempner", "radius_km": -1}, "radius_km"),
        ({"postcode": "38820", "trade": "klempner", "available": "soon"}, "available"),
        ({"postcode": "38820", "trade": "klempner", "place": "Halberstadt"}, "place"),
        ({"postcode": "38820"}, "emergency"),
        ({"postcode": "38820", "trade": "klempner", "emergency": "wasser"}, "emergency"),
        ({"trade": "klempner"}, "postcode"),
        ({"postcode": "38820", "trade": "klempner", "lattitude": 5}, "lattitude"),
    ],
)
def test_bad_input_is_a_problem_naming_the_parameter(client, params, parameter):
    assert_problem(get(client, **params), 422, parameter)


def test_unknown_slug_lists_valid_ones(client):
    body = assert_problem(get(client, postcode="38820", trade="plumber"), 422, "trade")
    assert "klempner" in body["valid"]
    body = assert_problem(get(client, postcode="38820", emergency="feuer"), 422, "emergency")
    assert "gasgeruch" in body["valid"]


def test_ambiguous_place_lists_candidates(client):
    body = assert_problem(get(client, place="Neustadt", trade="klempner"), 422, "place")
    assert len(body["candidates"]) > 5
    assert {"label", "postcode", "land", "lat", "lon"} <= set(body["candidates"][0])


def test_unknown_place(client):
    assert_problem(get(client, place="Atlantis", trade="klempner"), 422, "place")


def test_cross_origin_get_allowed(client, plumber):
    response = client.get(
        "/api/v1/search?postcode=38820&trade=klempner",
        headers={"Origin": "https://www.halberstadt.de"},
    )
    assert response.headers["Access-Control-Allow-Origin"] in {"*", "https://www.halberstadt.de"}


def test_reference_endpoints(client):
    trades = client.get("/api/v1/trades").json
    assert len(trades) == 12 and trades[0]["slug"] == "installateur-heizungsbauer"
    emergencies = {e["slug"]: e for e in client.get("/api/v1/emergencies").json}
    assert emergencies["strom"]["safety"]["level"] == "safety_first"
    assert emergencies["heizung"]["safety"] is None
    assert emergencies["dach"]["trades"] == ["klempner", "dachdecker", "zimmerer"]


def test_caching_policy(client, plumber):
    assert get(client, postcode="38820", trade="klempner").headers["Cache-Control"] == "no-store"
    assert "max-age=86400" in client.get("/api/v1/places?q=388").headers["Cache-Control"]
    assert "max-age=3600" in client.get("/api/v1/emergencies").headers["Cache-Control"]


def test_limits_come_from_the_configuration_and_the_document_states_them(app):
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"],
            "REDIS_URL": "",
            "SEARCH_INDEX": "off",  # no build thread holding a connection at dispose
            "MAX_SERVICE_RADIUS_KM": 80.0,
            "SEARCH_MAX_LIMIT": 20,
            "SEARCH_DEFAULT_LIMIT": 5,
        }
    )
    client = other.test_client()
    parameters = {
        p["name"]: p["schema"]
        for p in client.get("/api/v1/openapi.json").json["paths"]["/api/v1/search"]["get"][
            "parameters"
        ]
    }
    assert parameters["limit"]["maximum"] == 20
    assert parameters["limit"]["default"] == 5
    assert parameters["radius_km"]["maximum"] == 80.0
    too_far = client.get("/api/v1/search?postcode=38820&trade=klempner&radius_km=100")
    assert too_far.status_code == 422
    assert "at most 80" in too_far.get_data(as_text=True)
    too_many = client.get("/api/v1/search?postcode=38820&trade=klempner&limit=21")
    assert too_many.status_code == 422
    assert client.get("/api/v1/search?postcode=38820&trade=klempner&limit=20").status_code == 200
    with other.app_context():
        db.engine.dispose()
