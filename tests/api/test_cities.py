"""``GET /api/v1/cities/<slug>``: a partner city's centre, for the app's ``/?stadt=`` links."""

from __future__ import annotations

from backend.extensions import db
from backend.organisations.operations import create_city


def test_a_partner_city_answers_with_its_name_and_centre(client):
    create_city("quedlinburg", "Quedlinburg", 51.7917, 11.1472, actor="test")
    db.session.commit()
    answer = client.get("/api/v1/cities/quedlinburg")
    assert answer.status_code == 200
    assert answer.json == {"slug": "quedlinburg", "name": "Quedlinburg", "lat": 51.7917,
                           "lon": 11.1472}  # fmt: skip
    assert "max-age=3600" in answer.headers["Cache-Control"]


def test_an_unknown_or_inactive_city_is_a_404_problem(client):
    city = create_city("fern", "Fern", 53.5, 10.0, actor="test")
    city.active = False
    db.session.commit()
    for slug in ("fern", "nirgendwo"):
        answer = client.get(f"/api/v1/cities/{slug}")
        assert answer.status_code == 404
        assert answer.content_type == "application/problem+json"


def test_the_openapi_document_describes_it(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/api/v1/cities/{slug}"]["get"]["responses"]) >= {"200", "404"}
