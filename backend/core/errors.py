"""RFC 9457 problem details for every error the app returns."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException, InternalServerError

PROBLEM_MIME = "application/problem+json"
log = logging.getLogger(__name__)


class ProblemError(HTTPException):
    """An error with a machine-readable type, a human title and structured extras.

    Services raise it (or subclasses of ValueError that views translate) so that
    the client learns exactly which parameter was wrong and what would be valid.
    """

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        problem_type: str = "about:blank",
        **extra: Any,
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.title = title
        self.problem_type = problem_type
        self.extra = extra


def problem_response(
    status: int, title: str, detail: str, problem_type: str = "about:blank", **extra: Any
) -> Response:
    """Build an ``application/problem+json`` response."""
    body = {"type": problem_type, "title": title, "status": status, "detail": detail, **extra}
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)


def http_exception_to_problem(exc: HTTPException) -> Response:
    """Translate any werkzeug/smorest HTTP exception into problem details."""
    if isinstance(exc, ProblemError):
        return problem_response(exc.code, exc.title, exc.description, exc.problem_type, **exc.extra)
    extra: dict[str, Any] = {}
    # flask-smorest puts marshmallow validation messages on ``exc.data``.
    messages = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
    if messages:
        extra["errors"] = flat_errors(messages)
        detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in extra["errors"])
    else:
        detail = exc.description or exc.name
    response = problem_response(exc.code or 500, exc.name, detail, **extra)
    if exc.code == 405 and (allowed := exc.get_headers()):
        response.headers.update({k: v for k, v in allowed if k == "Allow"})
    response.headers.update(retry_after(exc))
    return response


def retry_after(exc: HTTPException) -> dict[str, str]:
    """``Retry-After`` for a rate limit's 429: the limit's window, else no header.

    By the end of the window the allowance is whole again at the latest; the exact
    time would cost every limited request a second read of the limiter's storage.
    """
    if isinstance(exc, RateLimitExceeded):
        return {"Retry-After": str(exc.limit.limit.get_expiry())}
    return {}


def flat_errors(messages: dict) -> list[dict[str, str]]:
    """Turn ``{"query": {"lat": ["msg"]}}`` into ``[{"parameter": "lat", ...}]``."""
    flat = []
    for location, fields in messages.items():
        if not isinstance(fields, dict):
            flat.append({"parameter": location, "in": location, "message": str(fields)})
            continue
        for field, field_messages in fields.items():
            if isinstance(field_messages, dict):  # nested schema or list index
                field_messages = [str(m) for m in field_messages.values()]
            for message in field_messages:
                flat.append({"parameter": field, "in": location, "message": str(message)})
    return flat


def init_app(app: Flask) -> None:
    """Register handlers so that no error escapes as HTML or an unexplained 500."""

    @app.errorhandler(HTTPException)
    def _handle_http(exc: HTTPException) -> Response:
        return http_exception_to_problem(exc)

    @app.errorhandler(Exception)
    def _handle_unexpected(exc: Exception) -> Response:
        log.exception("Unhandled error", exc_info=exc)
        return http_exception_to_problem(InternalServerError())
