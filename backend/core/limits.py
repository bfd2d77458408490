"""Limits before any work starts: body size, JSON depth; rate limits (Flask-Limiter).

- Request bodies: ``MAX_CONTENT_LENGTH`` (1 MiB) everywhere, except under the paths of
  ``UPLOAD_PATH_PREFIXES`` (the console's CSV upload), which may send
  ``UPLOAD_MAX_CONTENT_LENGTH``. Werkzeug refuses a larger declared length before reading
  a byte and stops reading a chunked body at the limit: 413 problem+json.
- JSON nesting: Python's parser recurses, so 10,000 ``[`` raise RecursionError (a 500).
  A body nested deeper than ``JSON_MAX_DEPTH`` is refused with 400 before any parser
  sees it; the scan is linear and bounded by the body limit.
- Rate limits: one storage for every worker, the same Redis as the cache.
"""

from __future__ import annotations

import re
from itertools import accumulate

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from backend.core.errors import ProblemError
from backend.extensions import limiter

# Bodies whose nesting is checked: everything but HTML forms (whose fields are flat).
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
# +1 for an opening bracket, -1 for a closing one (strings removed first).
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _STEP)


def json_depth(body: bytes) -> int:
    """How deep the brackets of a JSON text nest, ignoring those inside strings."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def _limit_request_body() -> None:
    """Set this request's body limit, and refuse JSON nested deeper than allowed."""
    config = current_app.config
    if request.path.startswith(tuple(config["UPLOAD_PATH_PREFIXES"])):
        request.max_content_length = config["UPLOAD_MAX_CONTENT_LENGTH"]
        return
    if request.mimetype in _FORM_TYPES or not (request.content_length or _chunked()):
        return
    body = request.get_data(cache=True)  # 413 here when Content-Length is over the limit
    # A chunked body is cut at the limit without an error: one that reaches it is too long.
    if request.content_length is None and len(body) >= (request.max_content_length or 1 << 62):
        raise RequestEntityTooLarge()
    most = config["JSON_MAX_DEPTH"]
    if json_depth(body) > most:
        raise ProblemError(
            400,
            "Body nested too deeply",
            f"JSON may nest at most {most} levels of arrays and objects.",
            problem_type="https://schnellruf.example/problems/json-too-deep",
        )


def _chunked() -> bool:
    return "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _per_address(setting: str, scope: str):
    """A limit per client address from the setting ``setting``, one allowance for ``scope``.

    Counted in the limiter's storage (Redis), so every worker counts against one number;
    read per request, so a changed setting (or a test's) applies at once. Made once per
    process: the search's view is built anew by every app, and each new limit object
    would count each request once more.
    """
    return limiter.shared_limit(lambda: current_app.config[setting], scope=scope)


_CALL_EVENTS = _per_address("CALL_EVENT_LIMIT_PER_ADDRESS", "call-events")
_SEARCHES = _per_address("SEARCH_LIMIT_PER_ADDRESS", "searches")


def call_event_limit(view):
    """Call events and their outcomes: ``CALL_EVENT_LIMIT_PER_ADDRESS`` per client address.

    One allowance shared by the API's and the widgets' call routes.
    """
    return _CALL_EVENTS(view)


def search_limit(view):
    """Searches: ``SEARCH_LIMIT_PER_ADDRESS`` per client address, on every public channel.

    One allowance shared by the API's search, the widgets and the printed notices, so a
    client cannot take the whole listing by switching channels.
    """
    return _SEARCHES(view)


def init_app(app: Flask) -> None:
    """Register the body limits; point the limiter at its storage.

    The limiter uses ``RATELIMIT_STORAGE_URI``, else ``REDIS_URL``, else memory.
    """
    app.before_request(_limit_request_body)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "schnellruf:limits")
    limiter.init_app(app)
