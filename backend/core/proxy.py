"""Behind a reverse proxy: whose headers to trust, HSTS, and which origins CORS allows.

- ``PROXY_FIX_X_FOR`` / ``_X_PROTO`` / ``_X_HOST`` / ``_X_PORT`` / ``_X_PREFIX``: how many
  proxies in front of the app set each ``X-Forwarded-*`` header (werkzeug's ProxyFix).
  0 (the default) trusts none: a client could otherwise claim any address or scheme.
- ``TRUSTED_HOSTS`` (Flask): the host names requests may carry; others are answered
  400. Links the app prints come from ``PUBLIC_BASE_URL``, never from ``Host``.
- ``Strict-Transport-Security`` on every response when ``PUBLIC_BASE_URL`` is https
  (the TLS terminator in front cannot forget it, and ``http://`` is never offered).
- CORS: ``API_CORS_ORIGINS`` is ``*`` (answered with a literal ``*``, no credentials) or
  a list of exact origins; the request's ``Origin`` is echoed only when it is one of
  them, and ``null`` (sandboxed frames, file:// pages) never.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from flask import Flask, Response, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)

PROXY_FIX_KEYS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")
_ORIGIN = re.compile(r"^https?://[a-z0-9-]+(\.[a-z0-9-]+)*(:[0-9]{1,5})?$")


def parse_list(value: str | Iterable[str]) -> list[str]:
    """A comma- or space-separated setting (environment) or a TOML list, as a list."""
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    return [item.strip() for item in items if item.strip()]


def cors_origins(setting: str | Iterable[str]) -> str | list[str]:
    """``"*"``, or the exact origins of ``API_CORS_ORIGINS`` (``null`` and patterns dropped).

    flask-cors would read a string holding regex characters as a pattern matched at
    the start of the origin; only plain ``scheme://host[:port]`` values are kept.
    """
    origins = [origin.lower().rstrip("/") for origin in parse_list(setting)]
    if "*" in origins:
        return "*"
    kept = [origin for origin in origins if _ORIGIN.match(origin)]
    for origin in set(origins) - set(kept):
        log.warning("API_CORS_ORIGINS: %r is not an origin (scheme://host[:port]); ignored", origin)
    return kept


def public_url(path: str) -> str:
    """``path`` under ``PUBLIC_BASE_URL``: an absolute link that no ``Host`` header changes."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _hsts(response: Response) -> Response:
    config = current_app.config
    if config["PUBLIC_BASE_URL"].startswith("https://"):
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={int(config['HSTS_MAX_AGE_S'])}"
        )
    return response


def init_app(app: Flask) -> None:
    """Trust exactly the configured proxies, check hosts, send HSTS behind TLS."""
    counts = {key: int(app.config.get(f"PROXY_FIX_{key.upper()}", 0)) for key in PROXY_FIX_KEYS}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)
    if app.config.get("TRUSTED_HOSTS") is not None:
        app.config["TRUSTED_HOSTS"] = parse_list(app.config["TRUSTED_HOSTS"]) or None
    app.after_request(_hsts)
