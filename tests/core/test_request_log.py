"""One JSON log line per request, nothing personal in any log line, X-Request-ID."""

from __future__ import annotations

import json
import logging

import pytest

from backend.core.request_log import JsonFormatter, redact

SEARCH = "/api/v1/search?lat=51.8958&lon=11.0467&emergency=wasser"
FORWARDED = {"X-Forwarded-For": "203.0.113.9"}


def request_lines(caplog) -> list[dict]:
    """The request log's records as the JSON lines production writes."""
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "backend.request"
    ]


def test_one_line_per_request_with_id_endpoint_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="backend.request"):
        response = client.get(SEARCH, headers=FORWARDED)
    [line] = request_lines(caplog)
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["endpoint"] == "search.search" and line["method"] == "GET"
    assert line["status"] == 200 and line["duration_ms"] >= 0
    text = json.dumps(line)
    for private in ("51.89", "11.04", "lat=", "203.0.113.9", "127.0.0.1"):
        assert private not in text


def test_errors_are_logged_by_endpoint_too(client, caplog):
    with caplog.at_level(logging.INFO, logger="backend.request"):
        client.get("/api/v1/search?lat=91&lon=11.0467")
        client.get("/nirgends/gar/nicht?lat=51.8958")
    statuses = [(line["endpoint"], line["status"]) for line in request_lines(caplog)]
    assert statuses == [("search.search", 422), ("(unmatched)", 404)]


@pytest.mark.parametrize("incoming", ["lb-4f2a9c1e", "0123456789abcdef0123456789abcdef"])
def test_a_safe_incoming_request_id_is_kept(client, incoming):
    assert client.get("/healthz", headers={"X-Request-ID": incoming}).headers["X-Request-ID"] == (
        incoming
    )


@pytest.mark.parametrize("incoming", ["<script>", "short", "x" * 65, "a b c d e f g h", "ü" * 10])
def test_an_unsafe_incoming_request_id_is_replaced(client, incoming):
    sent = client.get("/healthz", headers={"X-Request-ID": incoming}).headers["X-Request-ID"]
    assert sent != incoming and len(sent) == 32


def test_every_app_log_record_is_redacted(app_context, caplog):
    logger = logging.getLogger("backend.some.module")
    with caplog.at_level(logging.INFO):
        logger.warning(
            "failed for %s from %s at %s,%s", "+49 170 1234567", "203.0.113.9", 51.8958, 11.0467
        )
        try:
            raise ValueError("GET /api/v1/search?lat=51.8958 from 2001:db8::7")
        except ValueError:
            logger.exception("boom")
    text = caplog.text
    for private in ("1234567", "203.0.113.9", "51.8958", "11.0467", "lat=", "2001:db8"):
        assert private not in text
    assert "ValueError" in text and "boom" in text


def test_redact_keeps_what_is_not_personal():
    kept = "message 12 not enqueued at 18:00:00 on 2026-12-01 (HTTP 503)"
    assert redact(kept) == kept


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/datenschutz", ("Server-Protokolle", "keine IP-Adresse", "nach {days} Tagen gelöscht")),
        ("/en/privacy", ("Server logs", "no IP address", "deleted after {days} days")),
    ],
)
def test_the_privacy_notice_states_what_the_server_logs_and_how_long(app, client, path, words):
    html = " ".join(client.get(path).get_data(as_text=True).split())
    days = app.config["SERVER_LOG_RETENTION_DAYS"]
    for words_ in words:
        assert words_.format(days=days) in html


def test_versioned_files_carry_no_request_id(app, client):
    build = app.extensions["web_assets"].build
    assert "X-Request-ID" not in client.get(f"/app.js?v={build}").headers
    assert "X-Request-ID" in client.get("/").headers
