"""The start screen, safety advice, languages, keyboard, touch targets, zoom and dark mode."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

INTERACTIVE = """
() => [...document.querySelectorAll('a, button, input:not([type=checkbox]), label.check')]
  .filter((el) => el.offsetParent !== null && !el.classList.contains('skip'))
  .map((el) => {
    const r = el.getBoundingClientRect();
    return {what: el.outerHTML.slice(0, 80), width: r.width, height: r.height};
  })
"""


def test_start_screen_has_a_tile_per_emergency_and_the_emergency_numbers(page):
    tiles = page.locator("#tiles a.tile")
    assert tiles.count() == 11
    labels = tiles.all_inner_texts()
    assert "Gasgeruch" in labels and any("Wasserrohrbruch" in label for label in labels)
    assert page.locator('header a[href="tel:112"]').is_visible()
    assert page.locator('header a[href="tel:110"]').is_visible()
    assert page.evaluate("document.documentElement.lang") == "de"
    screenshot(page, "start")


@pytest.mark.parametrize("hash_", ["#/notfall/wasser", "#/notfall/gasgeruch", "#/notfallkarte"])
def test_emergency_numbers_stay_one_tap_away(page, hash_):
    page.goto(f"/{hash_}")
    page.wait_for_selector("html[data-ready]")
    page.mouse.wheel(0, 3000)  # the header stays on screen while scrolling
    for number in ("112", "110"):
        link = page.locator(f'a.sos-link[href="tel:{number}"]')
        assert link.is_visible()
        box = link.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844


def test_gas_smell_gives_advice_only_and_no_tradespeople(page):
    page.get_by_role("link", name="Gasgeruch").click()
    page.wait_for_selector("#safety:not([hidden])")
    assert page.locator("#em-label").inner_text() == "Gasgeruch"
    assert len(page.locator("#safety-advice").inner_text()) > 40
    assert page.locator("#safety-call").get_attribute("href") == "tel:112"
    assert page.locator("#safety-only").is_visible()
    assert page.locator("#search-area").is_hidden()
    assert page.locator(".result").count() == 0
    assert page.evaluate("document.activeElement.id") == "em-heading"
    screenshot(page, "gasgeruch")


def test_language_switch_translates_everything_and_is_kept(page):
    page.get_by_role("button", name="Switch to English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.locator("#home-heading").inner_text() == "What happened?"
    assert "Smell of gas" in page.locator("#tiles").inner_text()
    assert page.locator("#link-privacy").get_attribute("href") == "/en/privacy"
    page.reload()
    page.wait_for_selector("html[data-ready]")
    assert page.locator("#home-heading").inner_text() == "What happened?"
    page.get_by_role("button", name="Auf Deutsch wechseln").click()
    page.wait_for_function("() => document.documentElement.lang === 'de'")


def test_english_browser_gets_english(make_context):
    page = make_context(locale="en-US").new_page()
    page.goto("/#/notfall/strom")
    page.wait_for_selector("html[data-ready]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#safety-heading").inner_text() == "First: your safety"
    assert page.locator("#safety-call-label").inner_text() == "Call 112 first"
    screenshot(page, "strom-en")


def test_keyboard_alone_reaches_an_emergency_with_visible_focus(page):
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator(".skip").is_visible()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('tile')"):
            break
    else:
        pytest.fail("no tile reached by Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    page.wait_for_selector("#view-emergency:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "em-heading"


@pytest.mark.parametrize("hash_", ["", "#/notfall/wasser", "#/notfallkarte"])
def test_touch_targets_are_at_least_48px(page, hash_):
    page.goto(f"/{hash_}")
    page.wait_for_selector("html[data-ready]")
    small = [t for t in page.evaluate(INTERACTIVE) if t["height"] < 48 or t["width"] < 48]
    assert small == []


@pytest.mark.parametrize("width", [320, 195])
@pytest.mark.parametrize("path", ["/", "/#/notfall/wasser", "/#/notfallkarte", "/impressum"])
def test_no_horizontal_scrolling_at_200_percent_zoom(make_context, width, path):
    """320 CSS px is a 640 px window at 200 %; 195 px is a 390 px phone at 200 %."""
    page = make_context(viewport={"width": width, "height": 640}).new_page()
    page.goto(path)
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    if width == 195 and path == "/":
        screenshot(page, "start-zoom-200")


def test_dark_mode_follows_the_system(make_context):
    page = make_context(color_scheme="dark").new_page()
    page.goto("/#/notfall/wasser")
    page.wait_for_selector("html[data-ready]")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 19, 23)"
    screenshot(page, "wasser-dark")


def test_legal_pages_are_reachable_in_both_languages(page, app):
    page.get_by_role("link", name="Impressum").click()
    page.wait_for_url("**/impressum")
    assert app.config["OPERATOR"]["name"] in page.locator("main").inner_text()
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/imprint")
    assert page.locator("h1").inner_text() == "Legal notice"
    assert page.evaluate("document.documentElement.lang") == "en"
