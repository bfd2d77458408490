"""Behind a proxy: trusted forwarded headers, trusted hosts, HSTS, CORS, the secret key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, request

from backend import create_app
from backend.core.config import ConfigurationError
from tests.core.ops_apps import dispose


@pytest.fixture
def make(app: Flask) -> Iterator:
    """Build apps with extra settings (no database needed); the limiter goes back after."""
    made: list[Flask] = []

    def build(**settings) -> Flask:
        other = create_app(
            {"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings}
        )
        # What the app believes about the client, to compare with what was sent.
        other.add_url_rule(
            "/_seen", "seen", lambda: {"addr": request.remote_addr, "scheme": request.scheme}
        )
        made.append(other)
        return other

    yield build
    for other in made:
        dispose(other, app)


def test_the_host_header_is_not_reflected_into_the_legal_pages(app, client):
    html = client.get("/datenschutz", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in html
    assert f'href="{app.config["PUBLIC_BASE_URL"]}/en/privacy"' in html


def test_only_trusted_hosts_are_served(make):
    client = make(TRUSTED_HOSTS="schnellruf.example, www.schnellruf.example").test_client()
    assert client.get("/healthz", headers={"Host": "schnellruf.example"}).status_code == 200
    refused = client.get("/healthz", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"


def test_forwarded_headers_are_ignored_unless_a_proxy_is_configured(make):
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    direct = make().test_client().get("/_seen", headers=forwarded).json
    assert direct == {"addr": "127.0.0.1", "scheme": "http"}
    behind = make(PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1).test_client()
    assert behind.get("/_seen", headers=forwarded).json == {
        "addr": "203.0.113.9",
        "scheme": "https",
    }
    # One proxy: only the address it appended counts, not what the client claimed before.
    spoofed = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
    assert behind.get("/_seen", headers=spoofed).json["addr"] == "203.0.113.9"


def test_hsts_only_behind_tls(client, app, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://schnellruf.example")
    assert client.get("/healthz").headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize("origin", ["https://evil.example", "null"])
def test_cors_never_echoes_an_arbitrary_origin(client, origin):
    response = client.get("/api/v1/trades", headers={"Origin": origin})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_with_listed_origins(make):
    client = make(API_CORS_ORIGINS="https://www.halberstadt.de, null, https://x.de.*").test_client()

    def allowed(origin: str) -> str | None:
        headers = {"Origin": origin}
        return client.get("/api/v1/trades", headers=headers).headers.get(
            "Access-Control-Allow-Origin"
        )

    assert allowed("https://www.halberstadt.de") == "https://www.halberstadt.de"
    for other in ("https://evil.example", "null", "https://x.de.evil.example"):
        assert allowed(other) is None


@pytest.mark.parametrize("key", ["", "dev-only-change-me"])
def test_an_empty_or_public_secret_key_is_refused(monkeypatch, key):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
