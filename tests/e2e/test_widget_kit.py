"""A city editor in Chromium: signs in, registers the portal, puts a widget together in the
embed kit, sees the preview and copies the HTML snippet; a portal page on another origin
holding exactly that snippet shows the widget with its call links. axe-core checks the kit.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from backend.extensions import db
from backend.organisations.operations import create_city
from tests.console.staff_helpers import make_account
from tests.e2e.conftest import FLAGS, LiveServer, screenshot  # noqa: F401  (FLAGS: same browser)
from tests.e2e.test_console_businesses import console_context, signed_in_page  # noqa: F401
from tests.e2e.test_widget_portal import AXE, AXE_TAGS

pytestmark = pytest.mark.e2e


def snippet_portal(pasted: dict[str, str]) -> Flask:
    """A portal page on its own port (so another origin) with whatever snippet was pasted."""
    app = Flask(__name__)

    @app.get("/notdienst")
    def page() -> str:
        return (
            '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Stadtportal</title>'
            '<link rel="icon" href="data:,"></head><body><main><h1>Notdienste</h1>'
            f"{pasted.get('snippet', '')}</main></body></html>"
        )

    return app


@pytest.fixture
def portal():
    pasted: dict[str, str] = {}
    server = LiveServer(snippet_portal(pasted))
    yield server, pasted
    server.stop()


@pytest.fixture
def editor(region):
    """The city editor of Halberstadt (password and TOTP), with the e2e businesses nearby."""
    city = create_city("halberstadt", "Halberstadt", 51.8958, 11.0467, actor="e2e")
    account = make_account("city_editor", city=city)
    assert account.email  # loaded now: read after the session closes
    db.session.close()  # the server threads write without waiting for this session
    return account


def axe_violations(page) -> list:
    page.evaluate(AXE.read_text() + "\n;0")  # not a <script>: the console's CSP stays on
    report = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in report["violations"]]


def test_editor_copies_the_snippet_and_the_portal_shows_the_widget(
    console_context,  # noqa: F811 (the fixture imported above: no requests elsewhere, no CSP error)
    editor,
    portal,
    browser,
    live_server,
):
    server, pasted = portal
    context = console_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = signed_in_page(context, editor)

    page.click("nav >> text=Widget")
    page.wait_for_url(re.compile(r"/console/widgets/halberstadt$"))
    assert "Noch ist kein Portal eingetragen" in page.inner_text("main")
    page.click("text=Einstellungen der Stadt")
    page.fill("#origin", server.url)
    page.click("text=Portal hinzufügen")
    assert f"{server.url} darf das Widget jetzt einbetten." in page.inner_text(".notice")

    page.click("text=Zum Baukasten")
    page.check("#mode-1")  # one fixed emergency
    page.select_option("#emergency", "wasser")
    page.fill("#place", "38820")
    page.fill("#limit", "3")
    page.click("text=Vorschau und Bausteine aktualisieren")
    preview = page.frame_locator("iframe.kit-preview")
    preview.locator("a.btn-call").first.wait_for()
    assert preview.locator("main h1").inner_text() == "Wasserrohrbruch / Wasserschaden"
    assert "Sanitär Nahbei" in preview.locator("main").inner_text()
    page.wait_for_function("() => document.querySelector('iframe.kit-preview').style.height")
    assert axe_violations(page) == []
    screenshot(page, "console-widget-kit")

    page.click("button[data-copy=code-html]")
    page.wait_for_selector("#status-html:has-text('Kopiert.')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value("#code-html")
    assert f'<iframe src="{live_server.url}/widget/halberstadt?' in copied
    assert "fixed=1&amp;emergency=wasser&amp;postcode=38820" in copied

    pasted["snippet"] = copied
    resident = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                   viewport={"width": 390, "height": 844})  # fmt: skip
    try:
        portal_page = resident.new_page()
        portal_page.goto(f"{server.url}/notdienst")
        frame = portal_page.frame_locator("iframe[data-schnellruf-widget]")
        frame.locator("a.btn-call").first.wait_for()
        hrefs = frame.locator("a.btn-call").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert hrefs and all(re.fullmatch(r"tel:\+49\d{6,13}", href) for href in hrefs), hrefs
        assert frame.locator("main h1").inner_text() == "Wasserrohrbruch / Wasserschaden"
        assert resident.cookies() == []
    finally:
        resident.close()


def test_without_scripts_the_kit_form_updates_preview_and_snippets(browser, editor,
                                                                    live_server):  # fmt: skip
    context = browser.new_context(base_url=live_server.url, locale="de-DE",
                                  java_script_enabled=False)  # fmt: skip
    try:
        page = signed_in_page(context, editor)
        page.goto("/console/widgets/halberstadt")
        assert page.locator("button[data-copy=code-html]").is_hidden()  # needs the script
        page.check("#f-cat-strom")
        page.check("#f-cat-gasgeruch")
        page.select_option("#language", "en")
        page.click("text=Vorschau und Bausteine aktualisieren")
        assert page.input_value("#code-wordpress") == (
            f"{live_server.url}/widget/halberstadt?lang=en&categories=strom,gasgeruch"
        )
        tiles = page.frame_locator("iframe.kit-preview").locator("ul.tiles a")
        tiles.first.wait_for()
        assert tiles.all_inner_texts() == ["Power failure / electrical fault", "Smell of gas"]
    finally:
        context.close()
