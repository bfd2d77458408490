"""Searches are limited per client address, one allowance for the API, widgets and notices.

Before, nothing limited searches: one client could copy the whole listing as fast as
the server answered, and take the other residents' share of it.
"""

from __future__ import annotations

import pytest

from backend.extensions import limiter
from tests.widgets.conftest import PORTAL

SEARCH = "/api/v1/search?postcode=38820&emergency=wasser"
ELSEWHERE = {"REMOTE_ADDR": "192.0.2.7"}


@pytest.fixture
def three_a_minute(app):
    saved = app.config["SEARCH_LIMIT_PER_ADDRESS"]
    app.config["SEARCH_LIMIT_PER_ADDRESS"] = "3 per minute"
    yield
    app.config["SEARCH_LIMIT_PER_ADDRESS"] = saved


def test_the_api_refuses_the_search_over_the_limit_with_a_problem(
    client, businesses, three_a_minute
):
    assert [client.get(SEARCH).status_code for _ in range(3)] == [200, 200, 200]
    over = client.get(SEARCH)
    assert over.status_code == 429 and over.mimetype == "application/problem+json"
    assert over.json["status"] == 429 and "3 per 1 minute" in over.json["detail"]
    assert over.headers["Retry-After"] == "60"
    assert client.get(SEARCH, environ_base=ELSEWHERE).status_code == 200
    assert limiter.storage.__class__.__name__.lower().startswith("redis")


def test_every_channel_draws_on_one_allowance(client, businesses, three_a_minute):
    assert client.get(SEARCH).status_code == 200
    assert client.get("/widget/halberstadt?emergency=wasser").status_code == 200
    assert client.get("/print/halberstadt/notdienst.pdf").status_code == 200
    for path in (SEARCH, "/widget/halberstadt", "/print/halberstadt/notdienst.pdf"):
        assert client.get(path).status_code == 429, path


def test_the_widget_says_so_in_german_inside_the_portal_frame(client, businesses, three_a_minute):
    for _ in range(3):
        client.get("/widget/halberstadt")
    over = client.get("/widget/halberstadt?emergency=wasser")
    page = over.get_data(as_text=True)
    assert over.status_code == 429 and over.mimetype == "text/html"
    assert "Bitte versuchen Sie es in einer Minute erneut" in page and 'href="tel:112"' in page
    assert f"frame-ancestors {PORTAL}" in over.headers["Content-Security-Policy"]
    assert over.headers["Retry-After"] == "60" and over.headers["Cache-Control"] == "no-store"
    english = client.get("/widget/halberstadt?lang=en")
    assert english.status_code == 429 and "try again in a minute" in english.get_data(True)
    assert "Set-Cookie" not in english.headers


def test_the_document_states_the_limit(client):
    spec = client.get("/api/v1/openapi.json").json
    responses = spec["paths"]["/api/v1/search"]["get"]["responses"]
    assert "application/problem+json" in responses["429"]["content"]


def test_a_search_counts_once_however_many_apps_the_process_made(
    app, client, businesses, three_a_minute
):
    """Every app builds the search view anew; its limit must not be added again each time."""
    from backend import create_app
    from tests.conftest import TEST_REDIS_URL

    for _ in range(2):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "REDIS_URL": TEST_REDIS_URL, "SEARCH_INDEX": "off"})  # fmt: skip
    limiter.init_app(app)
    assert [client.get(SEARCH).status_code for _ in range(4)] == [200, 200, 200, 429]
