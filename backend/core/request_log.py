"""Structured logs that hold nothing personal, and a request id on every response.

One JSON line per request (logger ``backend.request``): the request id, the method,
the route's endpoint (``search.search``, never the URL: no query string, no
coordinates, no secret link tokens), the status and the duration. No client address
is logged anywhere: ProxyFix may know it, the logs never do.

Every other log record of the app goes through :func:`redact` as well: IP addresses,
phone numbers (7 digits and more) and coordinates (decimal degrees) are masked
whatever a message or a traceback happened to contain. The gunicorn logger class
(:mod:`backend.core.gunicorn_logging`) applies the same to gunicorn's own log.

``X-Request-ID``: an incoming one is kept when it is a short safe token (a proxy's or
a load balancer's id, 8-64 of ``A-Za-z0-9._-``), otherwise a new one is made; either
way it is sent back (except on immutable versioned files), so a resident's error
report names the log line.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, request

log = logging.getLogger("backend.request")

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# What must never reach a log. IPv6: eight groups or a "::" (times like 18:00:00 stay);
# numbers: + or 0 first, at least 8 digits (dates like 2026-12-01 stay).
_REDACTIONS = (
    (re.compile(r"\?[^\s\"']*"), "?[query]"),
    (re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b"), "[address]"),
    (
        re.compile(
            r"(?:\b[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?::(?:[0-9a-fA-F]{1,4}\b)?"
            r"(?::[0-9a-fA-F]{1,4}\b)*"
        ),
        "[address]",
    ),
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"), "[address]"),
    (re.compile(r"-?\b\d{1,3}\.\d{3,}\b"), "[coordinate]"),
    (re.compile(r"(?<![\w.:-])(?:\+|0)\d(?:[ /-]?\d){6,}"), "[number]"),
)


def redact(text: str) -> str:
    """``text`` with query strings, addresses, coordinates and phone numbers masked."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Masks personal data in a record's message and traceback before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` in place; never drops it."""
        if getattr(record, "redacted", False):
            return True
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args, record.redacted = redact(message), (), True
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and a request's fields."""

    FIELDS = ("request_id", "method", "endpoint", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        """Serialise ``record`` (already redacted by the filter)."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: getattr(record, key) for key in self.FIELDS if hasattr(record, key)})
        return json.dumps(entry, ensure_ascii=False)


class _RedactOnly(logging.Handler):
    """In tests: redact (its filter runs), write nothing; pytest's capture writes."""

    def emit(self, record: logging.LogRecord) -> None:
        """Nothing: the record propagates to the root logger's handlers."""


def request_id() -> str:
    """The current request's id (made on first use)."""
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    return g.request_id


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    # Not on versioned files (immutable): nothing to report about them, and the
    # first visit's byte budget counts every header of every shell file.
    if "immutable" not in response.headers.get("Cache-Control", ""):
        response.headers[REQUEST_ID_HEADER] = request_id()
    started = g.get("request_started", time.perf_counter())
    fields = {
        "request_id": request_id(),
        "method": request.method,
        "endpoint": request.endpoint or "(unmatched)",
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    log.info("request", extra=fields)
    return response


def configure_logging(testing: bool) -> None:
    """JSON lines on stderr for the app's loggers, every record redacted (once per process).

    In tests the records propagate to pytest's capture only (still redacted).
    """
    app_logger = logging.getLogger("backend")
    if any(isinstance(f, RedactingFilter) for f in app_logger.filters):
        return
    if not testing and app_logger.level == logging.NOTSET:
        app_logger.setLevel(logging.INFO)
    redacting = RedactingFilter()
    app_logger.addFilter(redacting)
    # Filters of a logger do not apply to its children's records: the handler's do.
    handler = logging.StreamHandler() if not testing else _RedactOnly()
    handler.addFilter(redacting)
    handler.setFormatter(JsonFormatter())
    app_logger.addHandler(handler)


def init_app(app: Flask) -> None:
    """Log every request as one JSON line and send ``X-Request-ID`` with every response."""
    configure_logging(app.testing)
    app.before_request(_start)
    app.after_request(_finish)
