"""``GET /oembed?url=...&format=json``: the widget as an oEmbed ``rich`` type.

The HTML is a single iframe, so WordPress's sanitiser keeps it (it drops scripts of
unlisted providers and sandboxes the frame itself). Only URLs of this server's own
widget pages are answered.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from flask import Response, jsonify, request

from backend.core.errors import ProblemError
from backend.widgets.embed import DEFAULT_HEIGHT, iframe_html, widget_title
from backend.widgets.operations import UnknownCity, find_city
from backend.widgets.preset import parse_preset
from backend.widgets.views import bp

_WIDGET_PATH = re.compile(r"^/widget/([a-z0-9]+(?:-[a-z0-9]+)*)/?$")


@bp.get("/oembed")
def oembed() -> Response:
    """oEmbed 1.0 for a widget URL of this server (JSON only)."""
    url = request.args.get("url", "")
    if request.args.get("format", "json") != "json":
        raise ProblemError(501, "Not implemented", "Only format=json is offered.")
    parts = urlsplit(url)
    match = _WIDGET_PATH.match(parts.path)
    if parts.netloc != request.host or not match:
        raise ProblemError(404, "Not found", f"{url!r} is not a widget URL of {request.host_url}.")
    try:
        city = find_city(match.group(1))
    except UnknownCity as exc:
        raise ProblemError(404, "Not found", str(exc)) from exc
    preset = parse_preset(dict(parse_qsl(parts.query)))
    title = widget_title(city.name, preset.lang)
    height = DEFAULT_HEIGHT
    if max_height := request.args.get("maxheight", type=int):
        height = max(min(height, max_height), 200)
    response = jsonify(
        version="1.0",
        type="rich",
        title=title,
        provider_name="Handwerker-Schnellruf",
        provider_url=request.host_url,
        html=str(iframe_html(url, title, height=height)),
        width=request.args.get("maxwidth", 600, type=int),
        height=height,
        cache_age=3600,
    )
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
