"""Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit.

Rendered from the [OPERATOR] and [ACCESSIBILITY] configuration blocks.
"""

from __future__ import annotations

from flask import Response, current_app, render_template

from backend.core.proxy import public_url
from backend.web.assets import make_asset
from backend.web.views import REVALIDATE, asset_store, bp, deliver

# (page, language) -> URL; the German pages keep the names residents know.
LEGAL_URLS = {
    ("impressum", "de"): "/impressum",
    ("impressum", "en"): "/en/imprint",
    ("datenschutz", "de"): "/datenschutz",
    ("datenschutz", "en"): "/en/privacy",
    ("barrierefreiheit", "de"): "/barrierefreiheit",
    ("barrierefreiheit", "en"): "/en/accessibility",
}


def _render(page: str, lang: str) -> Response:
    """Render a legal page in ``lang`` and send it compressed with an ETag."""
    other = "en" if lang == "de" else "de"
    html = render_template(
        f"web/{page}.html",
        lang=lang,
        operator=current_app.config.get("OPERATOR", {}),
        accessibility=current_app.config.get("ACCESSIBILITY", {}),
        retention_days=current_app.config.get("CALL_EVENT_RETENTION_DAYS"),
        callback_retention_hours=current_app.config.get("CALLBACK_PHONE_RETENTION_H"),
        log_retention_days=current_app.config.get("SERVER_LOG_RETENTION_DAYS"),
        cache_seconds=current_app.config.get("SEARCH_CACHE_TTL_S"),
        asset_url=asset_store().url,
        urls={key[0]: url for key, url in LEGAL_URLS.items() if key[1] == lang},
        alternate_url=LEGAL_URLS[(page, other)],
        alternate_lang=other,
        # hreflang alternates must be absolute URLs: the public one, never the Host header's.
        absolute_url=public_url(LEGAL_URLS[(page, lang)]),
        absolute_alternate_url=public_url(LEGAL_URLS[(page, other)]),
    )
    asset = make_asset(page, "text/html; charset=utf-8", html.encode())
    response = deliver(asset, REVALIDATE)
    response.headers["Content-Language"] = lang
    return response


@bp.get("/impressum")
def impressum() -> Response:
    """Impressum (legal notice, German)."""
    return _render("impressum", "de")


@bp.get("/en/imprint")
def imprint() -> Response:
    """Legal notice (English)."""
    return _render("impressum", "en")


@bp.get("/datenschutz")
def datenschutz() -> Response:
    """Datenschutzerklärung (privacy notice, German)."""
    return _render("datenschutz", "de")


@bp.get("/en/privacy")
def privacy() -> Response:
    """Privacy notice (English)."""
    return _render("datenschutz", "en")


@bp.get("/barrierefreiheit")
def barrierefreiheit() -> Response:
    """Erklärung zur Barrierefreiheit (BITV 2.0) of the app and the widgets (German)."""
    return _render("barrierefreiheit", "de")


@bp.get("/en/accessibility")
def accessibility() -> Response:
    """Accessibility statement of the app and the widgets (English)."""
    return _render("barrierefreiheit", "en")
