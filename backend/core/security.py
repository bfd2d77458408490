"""Security headers: deny framing by default, strict CSP, no referrer leaks.

A view whose page may be framed (the widgets) opts in per response with
:func:`allow_framing`; every other response is ``frame-ancestors 'none'`` with
``X-Frame-Options: DENY``. The mark lives on the response itself, so it can never
outlive the request that set it.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response

_BASE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
_FRAME_ANCESTORS = "frame_ancestors"


def allow_framing(response: Response, origins: Iterable[str]) -> Response:
    """Let exactly ``origins`` (validated ``scheme://host[:port]``) frame ``response``.

    An empty list keeps the default: nobody may frame it.
    """
    setattr(response, _FRAME_ANCESTORS, list(origins))
    return response


def _set_security_headers(response: Response) -> Response:
    origins = getattr(response, _FRAME_ANCESTORS, None)
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
