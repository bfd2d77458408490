"""/metrics: request latency by route, searches, errors, queue depth; not public."""

from __future__ import annotations

import pytest

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


def scrape(client, **kwargs):
    """GET /metrics as text."""
    return client.get("/metrics", **kwargs)


def test_loopback_scrapes_routes_searches_and_the_queue(client):
    client.get("/api/v1/search?lat=51.8958&lon=11.0467&emergency=wasser")
    client.get("/api/v1/search?lat=91&lon=11&emergency=wasser")
    response = scrape(client)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'schnellruf_http_requests_total{endpoint="search.search",method="GET",status="200"}' in (
        text
    )
    assert 'schnellruf_http_request_duration_seconds_bucket{endpoint="search.search"' in text
    assert 'schnellruf_searches_total{channel="api",status="422"}' in text
    assert 'schnellruf_messaging_queue_depth{where="redis"}' in text
    assert 'schnellruf_messaging_queue_depth{where="database"} 0.0' in text
    assert "51.89" not in text and "lat=" not in text  # routes, never URLs


def test_not_public(client):
    assert scrape(client, environ_base=OUTSIDE).status_code == 404
    # Through a proxy the app was not told to trust: the address proves nothing.
    forwarded = {"X-Forwarded-For": "127.0.0.1"}
    assert scrape(client, headers=forwarded).status_code == 404


@pytest.mark.parametrize(
    ("header", "status"),
    [("Bearer s3cret-scraper-token", 200), ("Bearer wrong", 404), ("s3cret-scraper-token", 404)],
)
def test_a_bearer_token_opens_it_from_anywhere(client, app, monkeypatch, header, status):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-scraper-token")
    headers = {"Authorization": header}
    assert scrape(client, environ_base=OUTSIDE, headers=headers).status_code == status


def test_allowed_networks_are_configurable(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_ALLOWED_NETWORKS", "10.0.0.0/8, 203.0.113.0/24")
    assert scrape(client, environ_base=OUTSIDE).status_code == 200
    assert scrape(client).status_code == 404  # loopback is no longer listed
