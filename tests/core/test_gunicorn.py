"""gunicorn with config/gunicorn.conf.py: idle clients starve nobody, logs hold nothing personal.

The server runs as in production (gthread workers, the private logger, Prometheus in
multiprocess mode) on a free port, on a SQLite database of the test's own.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections.abc import Iterator

import pytest
from flask import Flask

from scripts.scratch_services import Gunicorn
from tests.conftest import TEST_REDIS_URL
from tests.core.ops_apps import SEARCH, dispose, make_app

# Generous: a loaded CI machine starting two workers, not a performance bound.
PATIENCE_S = 60
# Generous too, yet well under the 30 s for which a sync worker stays stuck on a client
# that connected and sent nothing (what two idle connections did to the old setup).
REQUEST_PATIENCE_S = 20
WORKERS, THREADS = 2, 4


@pytest.fixture(scope="module")
def server(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    """gunicorn -c config/gunicorn.conf.py with two workers of four threads each."""
    root = tmp_path_factory.mktemp("gunicorn")
    database = f"sqlite:///{root / 'db.sqlite'}"
    dispose(make_app(database), app)  # migrated
    env = {
        "DATABASE_URL": database,
        "SECRET_KEY": "gunicorn-test-secret",
        "REDIS_URL": TEST_REDIS_URL,
    }
    running = Gunicorn(env, root / "gunicorn.log", workers=WORKERS, threads=THREADS).start()
    try:
        running.wait_until_up()
        for _ in range(2 * WORKERS):  # each worker loads the gazetteer once, not in a test
            running.get(SEARCH).read()
        yield running
    finally:
        running.stop()


def test_idle_connections_do_not_starve_the_others(server: Gunicorn):
    # Clients that connect and send nothing: each one held a whole sync worker for 30 s.
    # A gthread worker parks them in its poller after a few seconds, meanwhile they
    # hold one thread each of several.
    count = THREADS - 1
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(count)]
    try:
        for _ in range(3):
            response = server.get(SEARCH, timeout=REQUEST_PATIENCE_S)
            assert response.status == 200 and json.load(response)["emergency"] == "wasser"
    finally:
        for connection in idle:
            connection.close()


def test_the_log_has_one_json_line_per_request_and_nothing_personal(server: Gunicorn):
    request_id = "gunicorn-test-7f3a"
    headers = {"X-Request-ID": request_id, "X-Forwarded-For": "203.0.113.9"}
    response = server.get("/api/v1/search?lat=51.8958&lon=11.0467&emergency=wasser", headers)
    assert response.headers["X-Request-ID"] == request_id
    with pytest.raises(urllib.error.HTTPError):  # gunicorn refuses an overlong request line
        server.get("/api/v1/search?q=" + "51.8958," * 600)
    deadline = time.monotonic() + PATIENCE_S
    while request_id not in server.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)  # the worker's stream is written after the answer
    text = server.log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    [line] = [line for line in lines if line.get("request_id") == request_id]
    assert (line["endpoint"], line["status"]) == ("search.search", 200)
    for private in ("51.89", "11.04", "lat=", "203.0.113.9", "127.0.0.1"):
        assert private not in text


def test_metrics_add_up_over_the_workers(server: Gunicorn):
    for _ in range(6):
        server.get("/api/v1/trades").read()
    text = server.get("/metrics").read().decode()
    [sample] = [
        line for line in text.splitlines()
        if line.startswith('schnellruf_http_requests_total{endpoint="reference.list_trades"')
    ]  # fmt: skip
    assert float(sample.rsplit(" ", 1)[1]) == 6.0
