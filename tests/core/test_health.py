"""/healthz (the process), /readyz (database and Redis), /api/v1/health (its contract)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from scripts.scratch_services import free_port


def test_healthz_answers_without_dependencies(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_checks_the_database_and_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_api_health_keeps_its_contract(client):
    body = client.get("/api/v1/health").json
    assert body["status"] == "ok" and set(body) == {"status", "search_index"}


@pytest.fixture
def redis_down(app: Flask) -> Iterator[Flask]:
    """The session's app with REDIS_URL pointing where no Redis listens."""
    saved = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    yield app
    app.config["REDIS_URL"] = saved


def test_readyz_is_503_without_redis(client, redis_down: Flask):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.json["checks"] == {"database": "ok", "redis": "error"}
    assert "redis" in response.json["detail"] and response.headers["Retry-After"]


def test_readyz_may_leave_redis_out(client, redis_down: Flask, monkeypatch):
    monkeypatch.setitem(redis_down.config, "READYZ_CHECKS", ["database"])
    assert client.get("/readyz").json == {"status": "ok", "checks": {"database": "ok"}}
