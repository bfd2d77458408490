"""Security headers: deny framing by default, strict CSP, no referrer leaks.

Views that may be framed (the widgets) set ``response.frame_ancestors`` via
:func:`allow_framing`; everything else is ``frame-ancestors 'none'``.
"""

from __future__ import annotations

from flask import Flask, Response, g

_BASE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


def allow_framing(origins: list[str]) -> None:
    """Allow the current response to be framed by exactly these origins."""
    g.frame_ancestors = origins


def _set_security_headers(response: Response) -> Response:
    origins = g.get("frame_ancestors")
    ancestors = " ".join(origins) if origins else "'none'"
    response.headers.setdefault(
        "Content-Security-Policy", f"{_BASE_CSP}; frame-ancestors {ancestors}"
    )
    if not origins:
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault(
        "Permissions-Policy", "geolocation=(self), camera=(), microphone=(), interest-cohort=()"
    )
    return response


def init_app(app: Flask) -> None:
    """Attach the security headers to every response."""
    app.after_request(_set_security_headers)
