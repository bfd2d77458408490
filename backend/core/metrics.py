"""Prometheus metrics at ``/metrics``, for the operators only.

- ``schnellruf_http_requests_total{endpoint,method,status}`` and
  ``schnellruf_http_request_duration_seconds{endpoint}``: by the route's endpoint,
  never the URL (no coordinates, no tokens, and a bounded number of series).
- ``schnellruf_http_errors_total{endpoint,status}``: answers of 500 and above
  (503 included: a database outage shows here).
- ``schnellruf_searches_total{channel,status}``: searches of the API and the widget.
- ``schnellruf_messaging_queue_depth{where}``: jobs waiting in the RQ queue, and
  messages recorded as queued in the database (those wait out a Redis outage).

Access: from ``METRICS_ALLOWED_NETWORKS`` (default loopback) or with
``Authorization: Bearer <METRICS_TOKEN>``; anyone else gets 404 (as if there were
no such page). A request that carries ``X-Forwarded-For`` while no proxy is trusted
(``PROXY_FIX_X_FOR`` = 0) came through a proxy the app does not know: its address says
nothing, so only the token counts.

Under gunicorn every worker is a process of its own: ``PROMETHEUS_MULTIPROC_DIR``
(set by config/gunicorn.conf.py, emptied at start) lets one scrape sum them all.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import shutil
import time
from collections.abc import Iterator

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from backend.core.proxy import parse_list
from backend.extensions import db
from backend.messaging.models import OutboundMessage
from backend.messaging.queue import messaging_queue

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
SEARCH_ENDPOINTS = {"search.search": "api", "widgets.widget": "widget"}

REQUESTS = Counter(
    "schnellruf_http_requests", "Answered requests", ["endpoint", "method", "status"]
)
LATENCY = Histogram(
    "schnellruf_http_request_duration_seconds",
    "Time to answer a request, by route",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ERRORS = Counter("schnellruf_http_errors", "Answers of 500 and above", ["endpoint", "status"])
SEARCHES = Counter("schnellruf_searches", "Searches answered", ["channel", "status"])


def prepare_multiprocess_dir() -> None:
    """Empty ``PROMETHEUS_MULTIPROC_DIR`` (a previous run's files would add up)."""
    path = os.environ.get(MULTIPROC_ENV)
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def mark_process_dead(pid: int) -> None:
    """Drop a dead worker's live gauges in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)


class QueueDepthCollector:
    """Reads the messaging queue's depth at scrape time (nothing to keep up to date)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The RQ queue's length and the messages queued in the database."""
        gauge = GaugeMetricFamily(
            "schnellruf_messaging_queue_depth", "Messages waiting", labels=["where"]
        )
        with self.app.app_context():
            for where, read in (("redis", lambda: messaging_queue().count),
                                ("database", queued_messages)):  # fmt: skip
                try:
                    gauge.add_metric([where], float(read()))
                except Exception:  # a dependency that is down: no sample, not a failed scrape
                    continue
        yield gauge


def queued_messages() -> int:
    """Messages recorded and not yet delivered (queued or waiting for a retry)."""
    waiting = OutboundMessage.status.in_(("queued", "retrying"))
    return db.session.scalar(select(func.count()).where(waiting)) or 0


def _allowed() -> bool:
    config = current_app.config
    token = config.get("METRICS_TOKEN") or ""
    header = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    if "X-Forwarded-For" in request.headers and not int(config.get("PROXY_FIX_X_FOR", 0)):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    networks = parse_list(config["METRICS_ALLOWED_NETWORKS"])
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def metrics_view() -> Response:
    """The metrics of every worker of this server, for an allowed scraper."""
    if not _allowed():
        raise NotFound()
    registry = REGISTRY
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    queue = CollectorRegistry()
    queue.register(QueueDepthCollector(current_app._get_current_object()))
    body = generate_latest(registry) + generate_latest(queue)
    response = Response(body, mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _record(response: Response) -> Response:
    endpoint = request.endpoint or "(unmatched)"
    if endpoint == "metrics":
        return response
    status = str(response.status_code)
    REQUESTS.labels(endpoint, request.method, status).inc()
    started = g.get("metrics_started")
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    if response.status_code >= 500:
        ERRORS.labels(endpoint, status).inc()
    searched = endpoint == "search.search" or {"emergency", "trade"} & set(request.args)
    if endpoint in SEARCH_ENDPOINTS and request.method == "GET" and searched:
        SEARCHES.labels(SEARCH_ENDPOINTS[endpoint], status).inc()
    return response


def init_app(app: Flask) -> None:
    """Count every request and serve ``/metrics`` to allowed scrapers."""
    app.before_request(_start)
    app.after_request(_record)
    app.add_url_rule("/metrics", "metrics", metrics_view)
