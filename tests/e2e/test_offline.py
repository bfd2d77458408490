"""Offline and installable: the service worker shell, stored lists with their time stamp,
the Notfallkarte in a power cut, and updates that replace the old version whole."""

from __future__ import annotations

import re
import shutil

import pytest

from backend import create_app
from backend.core.config import PROJECT_ROOT
from tests.e2e.conftest import LiveServer, screenshot

pytestmark = pytest.mark.e2e
STAMP = re.compile(r"Stand: \w\w \d\d:\d\d")


def wait_until_controlled(page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_app_starts_offline_after_the_first_visit(page, context):
    wait_until_controlled(page)
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-ready]")
    assert page.locator("#tiles a.tile").count() == 11
    assert page.locator("#offline-banner").is_visible()
    page.goto("/impressum")  # not in the shell: the offline page, with 112 and 110
    assert page.locator("h1").inner_text() == "Keine Verbindung"
    assert page.locator('a[href="tel:112"]').is_visible()


def test_chromium_reports_no_installability_errors(browser, live_server, tmp_path):
    # Installability is judged for a normal profile only: Playwright's contexts are
    # incognito, so this test uses a persistent profile of its own.
    from tests.e2e.conftest import CHROMIUM, FLAGS

    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=str(CHROMIUM), headless=True, args=FLAGS,
        base_url=live_server.url, service_workers="allow",
    )  # fmt: skip
    try:
        page = context.new_page()
        page.goto("/")
        page.wait_for_selector("html[data-ready]")
        wait_until_controlled(page)
        session = context.new_cdp_session(page)
        assert session.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = session.send("Page.getAppManifest")
        assert not manifest.get("errors"), manifest["errors"]
    finally:
        context.close()


def test_api_answers_are_not_cached_by_the_service_worker(page):
    wait_until_controlled(page)
    names = page.evaluate(
        "async () => { const out = []; for (const name of await caches.keys()) {"
        " const cache = await caches.open(name);"
        " for (const r of await cache.keys()) out.push(new URL(r.url).pathname); } return out; }"
    )
    assert "/" in names and "/app.js" in names
    assert not [n for n in names if n.startswith("/api/")]


def test_last_results_stay_readable_offline_with_their_time(page, context, region):
    page.goto("/#/notfall/wasser")
    page.fill("#search-input", "38820")
    page.click("#picker-search button[type=submit]")
    page.wait_for_selector("#results .result")
    wait_until_controlled(page)
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-ready]")
    page.fill("#search-input", "38820")
    page.click("#picker-search button[type=submit]")
    page.wait_for_selector("#results .result")
    stale = page.locator("#results-stale")
    assert stale.is_visible()
    assert STAMP.search(stale.inner_text())
    assert "Erreichbarkeit kann sich inzwischen geändert haben" in stale.inner_text()
    assert page.locator("#results .result h3").first.inner_text() == "Sanitär Nahbei"
    screenshot(page, "offline-ergebnisse")


def test_notfallkarte_keeps_every_list_for_a_power_cut(page, context, region):
    page.goto("/#/notfallkarte")
    page.wait_for_selector("html[data-ready]")
    page.fill("#card-input", "38820")
    page.click("#picker-card button[type=submit]")
    page.wait_for_selector("#card-home:not([hidden])")
    page.wait_for_function(
        "() => document.getElementById('card-status').textContent.includes('aktuell')"
    )
    lists = page.locator("#card-lists")
    assert "Sanitär Nahbei" in page.locator("#card-lists section", has_text="Wasser").inner_text()
    assert "Elektro Blitz" in page.locator("#card-lists section", has_text="Strom").inner_text()
    gas = page.locator("#card-lists section", has_text="Gasgeruch")
    assert gas.locator('a[href="tel:112"]').count() == 1 and gas.locator(".result").count() == 0
    assert lists.locator("a.btn-call").count() >= 4
    wait_until_controlled(page)

    context.set_offline(True)  # the power cut: no router, no mobile data
    page.reload()
    page.wait_for_selector("html[data-ready]")
    assert "Zuhause: 38820 Halberstadt" in page.locator("#card-home").inner_text()
    assert STAMP.search(page.locator("#card-stamp").inner_text())
    assert page.locator('#card-lists a[href="tel:+493023125001"]').count() == 2  # wasser, dach
    screenshot(page, "notfallkarte-offline")
    # A category at the home place falls back to the card's list, with its time stamp.
    page.goto("/#/notfall/strom")
    page.wait_for_selector("#results .result")
    assert page.locator("#results .result h3").all_inner_texts() == ["Elektro Blitz"]
    assert STAMP.search(page.locator("#results-stale").inner_text())


@pytest.fixture
def own_shell(app, tmp_path):
    """A second server whose pwa/ is a copy the test may change (a new deploy)."""
    shutil.copytree(PROJECT_ROOT / "pwa", tmp_path / "pwa")
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PWA_DIR": str(tmp_path / "pwa"),
        }
    )
    server = LiveServer(other)
    yield server, tmp_path / "pwa"
    server.stop()


def test_update_replaces_the_old_version_without_a_mix(make_context, own_shell):
    server, shell = own_shell
    page = make_context(server).new_page()
    page.goto("/")
    page.wait_for_selector("html[data-ready]")
    wait_until_controlled(page)
    old = page.evaluate("document.documentElement.dataset.build")

    with (shell / "style.css").open("a") as css:
        css.write("\n/* deploy 2 */\n")
    server.app.extensions["web_assets"].load()
    new = server.app.extensions["web_assets"].build
    assert new != old

    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    page.wait_for_selector("#update-banner:not([hidden])")
    assert page.evaluate("document.documentElement.dataset.build") == old  # nothing swapped yet
    with page.expect_navigation():
        page.click("#update-button")
    page.wait_for_selector("html[data-ready]")
    assert page.evaluate("document.documentElement.dataset.build") == new
    cached = page.evaluate(
        "async () => { const out = {}; for (const name of await caches.keys()) {"
        " const cache = await caches.open(name);"
        " out[name] = (await cache.keys()).map((r) => r.url); } return out; }"
    )
    assert list(cached) == [f"schnellruf-{new}"]
    versions = {m for urls in cached.values() for u in urls for m in re.findall(r"\?v=(\w+)", u)}
    assert versions == {new}
    css = page.evaluate("async () => (await (await fetch('/style.css?v=' + "
                        "document.documentElement.dataset.build)).text())")  # fmt: skip
    assert "deploy 2" in css
