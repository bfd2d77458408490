"""The widget inside a town portal served from another origin, in real Chromium.

A demo portal app runs on its own port (another origin than the widget server), as
www.halberstadt.de would. The city registers that origin; a second portal on yet
another port is not registered and must show nothing of the widget.
"""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from backend.calls.models import CallEvent
from backend.extensions import db
from backend.organisations.operations import create_city
from backend.widgets.demo_portal import create_portal_app
from tests.e2e.conftest import FLAGS, PHONE, LiveServer  # noqa: F401  (FLAGS: same browser)

pytestmark = pytest.mark.e2e

AXE = __import__("pathlib").Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SANDBOX_BLOCK = "Navigation to external protocol blocked by sandbox"
CITIES = [("halberstadt", "Halberstadt")]


@pytest.fixture
def portal(live_server):
    """The registered portal: another port, so another origin."""
    server = LiveServer(create_portal_app(live_server.url, CITIES))
    yield server
    server.stop()


@pytest.fixture
def stranger(live_server):
    """A portal the city never registered."""
    server = LiveServer(create_portal_app(live_server.url, CITIES))
    yield server
    server.stop()


@pytest.fixture
def city(region, portal):
    """Halberstadt with the portal's origin registered (and the e2e businesses)."""
    create_city("halberstadt", "Halberstadt", 51.8958, 11.0467,
                allowed_origins=[portal.url], actor="e2e")  # fmt: skip
    db.session.commit()
    db.session.close()
    return region


class Watch:
    """What one browser context did: requests off this machine, console messages."""

    def __init__(self, origins: tuple[str, ...]) -> None:
        self.origins = origins
        self.foreign: list[str] = []
        self.console: list[str] = []

    def is_foreign(self, url: str) -> bool:
        return not url.startswith((*self.origins, "data:", "about:", "tel:", "chrome-error:"))


@pytest.fixture
def open_portal(browser, live_server):
    """Open a portal page in a fresh phone-sized context; returns (page, watch)."""
    opened = []

    def factory(server, query: str = "", **options):
        context = browser.new_context(
            **{"viewport": PHONE, "locale": "de-DE", "timezone_id": "Europe/Berlin", **options}
        )
        watch = Watch((live_server.url, server.url))
        context.route(watch.is_foreign, lambda route: (watch.foreign.append(route.request.url),
                                                        route.abort()))  # fmt: skip
        page = context.new_page()
        page.on("console", lambda message: watch.console.append(message.text))
        opened.append((context, watch))
        page.goto(f"{server.url}/demo/portal/halberstadt{query}")
        return page, watch

    yield factory
    for context, watch in opened:
        cookies = context.cookies()
        context.close()
        assert cookies == [], "the widget sets no cookies"
        assert watch.foreign == [], f"requests to other hosts: {watch.foreign}"


def widget_frame(page):
    """The widget's frame once its call links (or its chooser) are drawn."""
    page.frame_locator("iframe[data-schnellruf-widget]").locator("main h1").wait_for()
    return next(f for f in page.frames if "/widget/halberstadt" in f.url)


def test_registered_portal_shows_the_widget_with_call_links_and_sizes_it(city, portal,
                                                                         open_portal):  # fmt: skip
    page, watch = open_portal(portal, "?emergency=wasser")
    frame = widget_frame(page)
    links = frame.locator("a.btn-call")
    assert links.count() >= 1
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert re.fullmatch(r"tel:\+49\d{6,13}", href), href
    text = frame.locator("main").inner_text()
    assert text.index("Zuerst: Ihre Sicherheit") < text.index("Sanitär Nahbei")
    # embed.js sized the frame to the height the widget posted: no inner scroll bar.
    page.wait_for_function(
        "() => document.querySelector('iframe[data-schnellruf-widget]').style.height !== ''"
    )
    frame_height = page.locator("iframe").evaluate("e => e.getBoundingClientRect().height")
    content = frame.evaluate("() => document.body.getBoundingClientRect().height")
    assert frame_height != 640 and abs(frame_height - content) <= 2
    assert frame.evaluate("() => localStorage.length + sessionStorage.length") == 0
    assert not [m for m in watch.console if "Content Security Policy" in m]


def test_without_scripts_the_widget_is_complete_and_scrolls_inside(city, portal, open_portal):
    page, _ = open_portal(portal, "?emergency=wasser", java_script_enabled=False)
    frame = widget_frame(page)
    assert frame.locator("a.btn-call").count() >= 1
    assert frame.locator("#w-gps").is_hidden()  # needs a script: not offered without
    assert page.locator("iframe").evaluate("e => e.getBoundingClientRect().height") == 640
    assert frame.evaluate("() => document.documentElement.scrollHeight") > 640
    frame.locator("#w-place").fill("38820")
    frame.locator("button[type=submit]").click()
    frame.locator("text=Betriebe nahe 38820 Halberstadt").wait_for()
    assert "emergency=wasser" in frame.url and "place=38820" in frame.url


def test_unregistered_portal_shows_nothing_of_the_widget(city, stranger, open_portal):
    page, watch = open_portal(stranger, "?emergency=wasser")
    page.wait_for_load_state("load")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any("frame-ancestors" in m for m in watch.console):
        page.wait_for_timeout(100)
    assert any("frame-ancestors" in m for m in watch.console), watch.console
    for frame in page.frames[1:]:
        assert frame.locator("a.btn-call").count() == 0
        assert "Sanitär Nahbei" not in frame.content()


def _click_call(page, frame) -> list[str]:
    link = frame.locator("a.btn-call").first
    link.click()
    page.wait_for_timeout(500)
    return link.get_attribute("data-call")


def test_call_link_works_in_the_sandboxed_frame_and_is_counted(city, portal, open_portal,
                                                               app_context):  # fmt: skip
    page, watch = open_portal(portal, "?emergency=wasser")
    frame = widget_frame(page)
    business_id = _click_call(page, frame)
    assert not [m for m in watch.console if SANDBOX_BLOCK in m], watch.console
    deadline = time.monotonic() + 5
    event = None
    while event is None and time.monotonic() < deadline:
        db.session.rollback()
        event = db.session.scalar(select(CallEvent))
        page.wait_for_timeout(100)
    assert event is not None, "the beacon recorded a call event"
    assert (event.channel, event.business_id, event.category) == ("widget", int(business_id),
                                                                  "wasser")  # fmt: skip
    assert event.city_id is not None


def test_a_sandbox_without_top_navigation_or_popups_blocks_calls(city, portal, open_portal):
    """Why the snippet carries those flags: without them Chromium refuses tel: links."""
    page, watch = open_portal(portal, "?emergency=wasser&sandbox=allow-scripts+allow-same-origin")
    frame = widget_frame(page)
    _click_call(page, frame)
    assert any(SANDBOX_BLOCK in m for m in watch.console), watch.console


@pytest.mark.parametrize(
    "query",
    ["", "?emergency=wasser", "?emergency=gasgeruch&lang=en", "?emergency=strom&place=Atlantis",
     "?emergency=wasser&place=Neustadt", "?trade=elektrotechniker&lang=en"],
)  # fmt: skip
def test_axe_finds_no_violation_inside_the_frame(city, portal, open_portal, query):
    page, _ = open_portal(portal, query)
    frame = widget_frame(page)
    frame.evaluate(AXE.read_text() + "\n;0")  # not a <script>: the widget's CSP stays on
    report = frame.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in report["violations"]]
    assert violations == []
    assert len(report["passes"]) > 10


@pytest.mark.parametrize("text_zoom", ["100%", "200%"])
def test_readable_at_320_px_and_200_percent(city, portal, open_portal, text_zoom):
    page, _ = open_portal(portal, "?emergency=wasser", viewport={"width": 320, "height": 640})
    frame = widget_frame(page)
    frame.evaluate(f"() => {{ document.documentElement.style.fontSize = '{text_zoom}'; }}")
    overflow = frame.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"horizontal scrolling at 320 px, text {text_zoom}"
    call = frame.locator("a.btn-call").first.bounding_box()
    assert call["height"] >= 44 and call["width"] >= 150  # a large target, full card width


def test_first_view_transfers_at_most_15_kb(city, portal, open_portal, live_server):
    sizes: dict[str, int] = {}

    def finished(request):
        if request.url.startswith(live_server.url) and "/embed.js" not in request.url:
            measured = request.sizes()
            sizes[request.url] = measured["responseBodySize"] + measured["responseHeadersSize"]

    page, _ = open_portal(portal, "")
    page.context.on("requestfinished", finished)
    page.reload()
    widget_frame(page)
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    print(f"widget first view in Chromium: {total} bytes in {len(sizes)} responses: {sizes}")
    assert len(sizes) == 3 and total <= 15 * 1024


def test_device_position_where_the_portal_allows_it(city, portal, open_portal):
    page, _ = open_portal(portal, "?emergency=wasser", permissions=["geolocation"],
                          geolocation={"latitude": 51.8962, "longitude": 11.0472})  # fmt: skip
    frame = widget_frame(page)
    frame.locator("#w-gps").click()
    page.frame_locator("iframe").locator("text=Betriebe in Ihrer Nähe").wait_for()
    frame = next(f for f in page.frames if "/widget/halberstadt" in f.url)
    assert "lat=51.896" in frame.url and "lon=11.047" in frame.url
