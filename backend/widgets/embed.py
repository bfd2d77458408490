"""The HTML a portal pastes: one iframe with the attributes that keep calls working.

Used by the oEmbed endpoint and by the console's embed kit, so both hand out the same
markup. ``sandbox`` allows what the widget needs and nothing more:

- ``allow-scripts allow-same-origin``: the widget's own script (height, position, the
  call beacon) runs with the widget's origin, so the portal can check its messages;
- ``allow-forms``: the place search is a GET form;
- ``allow-top-navigation-by-user-activation``: Chromium lets a sandboxed frame open a
  ``tel:`` link only with this (or ``allow-popups``), and only on a tap;
- ``allow-popups allow-popups-to-escape-sandbox``: the legal pages open in a new tab.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from backend.widgets.texts import fill, texts

SANDBOX = (
    "allow-scripts allow-same-origin allow-forms allow-popups "
    "allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
)
ALLOW = "geolocation"
# Without the sizing script the frame keeps this height and scrolls inside.
DEFAULT_HEIGHT = 640


def widget_title(city_name: str, lang: str) -> str:
    """The frame's title (WCAG 4.1.2 names the frame): "Handwerker-Notdienst Halberstadt"."""
    return fill(texts(lang)["title"], city=city_name)


def iframe_html(
    src: str, title: str, *, height: int = DEFAULT_HEIGHT, sandbox: str = SANDBOX
) -> Markup:
    """The iframe element for ``src`` (escaped), full width, lazy, sandboxed."""
    return Markup(
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{int(height)}" '
        f'style="border:0;width:100%;max-width:48rem" loading="lazy" allow="{ALLOW}" '
        f'sandbox="{escape(sandbox)}" data-schnellruf-widget></iframe>'
    )


def snippet_html(
    src: str, title: str, script_src: str, *, height: int = DEFAULT_HEIGHT, sandbox: str = SANDBOX
) -> Markup:
    """The iframe plus the portal-side sizing script (plain HTML, TYPO3 HTML element)."""
    return iframe_html(src, title, height=height, sandbox=sandbox) + Markup(
        f'\n<script src="{escape(script_src)}" async></script>'
    )
