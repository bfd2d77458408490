"""gunicorn's own log without client addresses, query strings or coordinates.

gunicorn logs ``Invalid request from ip=...`` and ``Error handling request
/api/v1/search?lat=...`` to its error log, and its default access log format holds
the client address and the full URL. This logger class passes every gunicorn record
through :class:`~backend.core.request_log.RedactingFilter` and writes JSON lines;
the access log (off unless ``accesslog`` is set: the app's request log already writes
one line per request) names the method, the path without its query string and with
secret link tokens masked, the status and the duration, never the client.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

from backend.core.request_log import REQUEST_ID_HEADER, JsonFormatter, RedactingFilter

# Secret links (calendar feeds, swap offers) carry long random tokens in their path.
_TOKEN_SEGMENT = re.compile(r"/[A-Za-z0-9_-]{20,}")


class PrivateLogger(Logger):
    """gunicorn's Logger with redacted JSON lines for the error and the access log."""

    def setup(self, cfg) -> None:
        """Set gunicorn's handlers up, then redact and format everything they write."""
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactingFilter) for f in log.filters):
                log.addFilter(RedactingFilter())
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        """One line per request: method, path (no query, tokens masked), status, duration."""
        if not self.access_log_enabled:
            return
        request_id = next(
            (value for name, value in resp.headers if name.lower() == REQUEST_ID_HEADER.lower()),
            None,
        )
        fields = {
            "method": req.method,
            "status": resp.status_code,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": request_id,
        }
        path = _TOKEN_SEGMENT.sub("/[token]", req.path or "")
        self.access_log.log(logging.INFO, "%s %s", req.method, path, extra=fields)
