"""A stand-in town portal on a second local port, embedding the widget as a town would.

It is its own tiny WSGI app (another origin than the widget server), so the browser
applies the same framing rules as on www.halberstadt.de: ``make run`` serves it on
port 5001 and the browser tests start it on a random port. The page holds exactly
the snippet the embed kit hands out (:func:`backend.widgets.embed.snippet_html`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, abort, request
from markupsafe import escape

from backend.widgets.embed import SANDBOX, iframe_html, snippet_html

# Query parameters of the portal page passed on to the widget.
WIDGET_PARAMETERS = ("emergency", "trade", "place", "postcode", "lang", "limit", "categories")

_PAGE = """<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>
body{{margin:0;font-family:Georgia,serif;background:#f4f1ea;color:#222}}
header{{background:#5b2333;color:#fff;padding:1rem}}
main{{max-width:52rem;margin:0 auto;padding:1rem}}
a{{color:#5b2333}}
</style>
</head>
<body>
<header><p><strong>{city} – Bürgerportal (Demo)</strong></p></header>
<main>
<h1>Notdienste in {city}</h1>
<p>Diese Seite steht für das Portal der Stadt auf einem anderen Server. Darunter ist
das Widget eingebunden, so wie es die Redaktion der Stadt einfügt.</p>
{snippet}
<p><a href="/">Alle Demo-Portale</a></p>
</main>
</body>
</html>
"""


def create_portal_app(widget_base: str, cities: list[tuple[str, str]]) -> Flask:
    """The demo portal for ``cities`` (slug, name), embedding widgets from ``widget_base``."""
    app = Flask(__name__)
    names = dict(cities)
    base = widget_base.rstrip("/")

    @app.get("/")
    def index() -> str:
        """Links to each city's demo portal page."""
        items = "".join(
            f'<li><a href="/demo/portal/{escape(slug)}">{escape(name)}</a></li>'
            for slug, name in cities
        )
        return _PAGE.format(title="Demo-Portale", city="Demo", snippet=f"<ul>{items}</ul>")

    @app.get("/demo/portal/<slug>")
    def portal(slug: str) -> str:
        """A portal page of one city with the widget embedded.

        ``?scripts=0`` leaves out the sizing script; ``?sandbox=...`` replaces the
        sandbox (to see what a stricter CMS, e.g. WordPress's oEmbed, does to calls).
        """
        if slug not in names:
            abort(404)
        query = {k: request.args[k] for k in WIDGET_PARAMETERS if request.args.get(k)}
        src = f"{base}/widget/{slug}" + (f"?{urlencode(query)}" if query else "")
        title = f"Handwerker-Notdienst {names[slug]}"
        sandbox = request.args.get("sandbox", SANDBOX)
        if request.args.get("scripts") == "0":
            snippet = iframe_html(src, title, sandbox=sandbox)
        else:
            snippet = snippet_html(src, title, f"{base}/widget/embed.js", sandbox=sandbox)
        return _PAGE.format(title=escape(title), city=escape(names[slug]), snippet=snippet)

    return app
