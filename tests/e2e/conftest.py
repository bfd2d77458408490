"""Browser tests: the real app in a thread on 127.0.0.1, driven by Debian's headless Chromium.

No request may leave 127.0.0.1: the browser cannot resolve other hosts, and every
context aborts and records any request to another origin; each test fails if one was made.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from werkzeug.serving import make_server

from backend.core.config import PROJECT_ROOT
from backend.extensions import db
from backend.imports.businesses import import_businesses
from backend.imports.rosters import import_roster
from backend.organisations.operations import create_guild
from scripts.chromium import CHROMIUM
from scripts.chromium import FLAGS as CHROMIUM_FLAGS

# No host but 127.0.0.1 resolves: a request elsewhere fails at once, and is recorded.
FLAGS = [*CHROMIUM_FLAGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
BERLIN = ZoneInfo("Europe/Berlin")
# Schemes that never reach the network.
LOCAL_SCHEMES = ("data:", "blob:", "about:", "tel:", "chrome-extension:")


class LiveServer:
    """A WSGI server for one Flask app on 127.0.0.1 with a random port, in a thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The session's app (test database) served over HTTP."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = LiveServer(app)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=FLAGS
        )
        yield browser
        browser.close()


class Guard:
    """Records requests that would leave 127.0.0.1 and CSP violations reported by pages."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.foreign: list[str] = []
        self.csp: list[str] = []

    def is_foreign(self, url: str) -> bool:
        return not url.startswith(self.origin) and not url.startswith(LOCAL_SCHEMES)

    def abort(self, route) -> None:
        self.foreign.append(route.request.url)
        route.abort()

    def console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)


@pytest.fixture
def make_context(browser, live_server) -> Iterator:
    """Factory for phone-sized browser contexts.

    Each context must end without a request to another host, a CSP violation or a cookie.
    """
    opened = []

    def factory(server: LiveServer | None = None, **options):
        origin = (server or live_server).url
        settings = {
            "viewport": PHONE,
            "device_scale_factor": 2,
            "is_mobile": True,
            "has_touch": True,
            "locale": "de-DE",
            "timezone_id": "Europe/Berlin",
            "service_workers": "allow",
            "base_url": origin,
            **options,
        }
        context = browser.new_context(**settings)
        guard = Guard(origin)
        context.route(guard.is_foreign, guard.abort)
        context.on("request", lambda r: guard.is_foreign(r.url) and guard.foreign.append(r.url))
        context.on("page", lambda page: page.on("console", guard.console))
        opened.append((context, guard))
        return context

    yield factory
    for context, guard in opened:
        cookies = context.cookies()
        context.close()
        assert cookies == [], "the app sets no cookies"
        assert guard.foreign == [], f"requests to other hosts: {guard.foreign}"
        assert guard.csp == [], f"CSP violations: {guard.csp}"


@pytest.fixture
def context(make_context):
    """A German phone-sized context on the session's live server."""
    return make_context()


@pytest.fixture
def page(context):
    """A page whose app has started (tiles drawn)."""
    page = context.new_page()
    page.goto("/")
    page.wait_for_selector("html[data-ready]")
    return page


def screenshot(page, name: str) -> None:
    """Save a phone-sized screenshot to tests/artifacts/ (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def berlin_day_after(now: datetime) -> str:
    """The opening_hours weekday code of tomorrow in Berlin, e.g. ``Tu``."""
    codes = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    return codes[(now.astimezone(BERLIN).weekday() + 1) % 7]


def _row(ref: str, name: str, trades: str, lat: float, lon: float, phone: str, **extra) -> dict:
    row = {
        "ref": ref,
        "name": name,
        "trades": trades,
        "street": "Hauptstraße 1",
        "postcode": "38820",
        "city": "Halberstadt",
        "lat": f"{lat:.5f}",
        "lon": f"{lon:.5f}",
        "phone": phone,
        "service_radius_km": "40",
        "opening_hours": "24/7",
        "accepts_new_customers": "ja",
        "callout_price_eur": "",
        "innungsbetrieb": "nein",
        "meisterbetrieb": "nein",
    }
    row.update(extra)
    return row


@pytest.fixture
def region(app_context) -> dict[str, int]:
    """Businesses around Halberstadt (38820), created through the import services.

    - E2E-1 plumber 0.1 km, 24/7, guild and master business, 49 EUR call-out
    - E2E-2 heating 3 km, closed but on the emergency roster for the next 3 hours
    - E2E-3 plumber 9 km, opens tomorrow 07:00, no new customers, no price stated
    - E2E-4 electrician 1 km, 24/7
    Returns the business ids by ref.
    """
    now = datetime.now(UTC)
    create_guild("e2e", "Kreishandwerkerschaft Test", actor="e2e")
    rows = [
        _row("E2E-1", "Sanitär Nahbei", "klempner", 51.8962, 11.0472, "+493023125001",
             callout_price_eur="49,00", innungsbetrieb="ja", meisterbetrieb="ja"),
        _row("E2E-2", "Heizung Mittendrin", "installateur-heizungsbauer", 51.9220, 11.0600,
             "+494066969002", opening_hours="off", callout_price_eur="59,00"),
        _row("E2E-3", "Rohrdienst Weitweg", "klempner", 51.8958, 11.1770, "+496990009003",
             opening_hours=f"{berlin_day_after(now)} 07:00-17:00",
             accepts_new_customers="nein"),
        _row("E2E-4", "Elektro Blitz", "elektrotechniker", 51.9048, 11.0467, "+498999998004",
             callout_price_eur="39,50", meisterbetrieb="ja"),
    ]  # fmt: skip
    report = import_businesses(rows, "e2e", actor="e2e", max_radius_km=150)
    assert not report.errors, report.errors
    start = (now - timedelta(hours=1)).astimezone(BERLIN).replace(microsecond=0)
    end = (now + timedelta(hours=3)).astimezone(BERLIN).replace(microsecond=0)
    shifts = [
        {"ref": "E2E-2", "trade": "installateur-heizungsbauer",
         "start": start.isoformat(), "end": end.isoformat()},
    ]  # fmt: skip
    roster = import_roster(shifts, "e2e", actor="e2e")
    assert not roster.errors, roster.errors
    from backend.businesses.models import Business

    ids = {b.ref: b.id for b in db.session.scalars(db.select(Business))}
    db.session.commit()
    db.session.close()  # let the server threads write without waiting for this session
    return ids
