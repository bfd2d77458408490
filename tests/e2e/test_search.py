"""Searching: safety advice first, place by postcode, suggestion or device position, results,
the anonymous call event and the question afterwards."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend.calls.models import CallEvent
from backend.extensions import db
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e
BERLIN = ZoneInfo("Europe/Berlin")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def open_emergency(page, slug: str) -> None:
    page.goto(f"/#/notfall/{slug}")
    page.wait_for_selector("html[data-ready]")


def search_postcode(page, postcode: str = "38820") -> None:
    page.fill("#search-input", postcode)
    page.click("#picker-search button[type=submit]")
    page.wait_for_selector("#results .result")


def result_names(page) -> list[str]:
    return page.locator("#results .result h3").all_inner_texts()


def test_water_shows_safety_advice_before_the_nearest_businesses(page, region):
    open_emergency(page, "wasser")
    assert page.locator("#safety").is_visible()
    assert page.locator("#safety-call").get_attribute("href") == "tel:112"
    search_postcode(page)
    assert result_names(page) == ["Sanitär Nahbei", "Heizung Mittendrin", "Rohrdienst Weitweg"]
    before = page.evaluate(
        "() => Boolean(document.getElementById('safety').compareDocumentPosition("
        "document.getElementById('results')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert before, "the safety advice must come before any tradesperson"
    assert page.locator("#results-status").inner_text().startswith("3 Betriebe gefunden")
    assert page.locator("#place-current-label").inner_text() == "Ort: 38820 Halberstadt"
    screenshot(page, "wasser-ergebnisse")


def test_result_cards_show_availability_badges_price_and_a_tel_link(page, region):
    open_emergency(page, "wasser")
    search_postcode(page)
    near, duty, far = (page.locator("#results .result").nth(i) for i in range(3))
    assert "Jetzt erreichbar" in near.inner_text()
    assert near.locator(".badge").all_inner_texts() == ["Innungsbetrieb", "Meisterbetrieb"]
    assert "Anfahrt: 49\xa0€" in near.inner_text()
    assert "Nimmt neue Kunden an" in near.inner_text()
    assert near.locator("a.btn-call").get_attribute("href") == "tel:+493023125001"
    # The accessible name starts with the visible text (WCAG 2.5.3) and names the business.
    assert near.get_by_role("link", name="Anrufen 030 23125001 (Sanitär Nahbei)").count() == 1
    assert "Notdienst" in duty.locator(".badge").all_inner_texts()
    until = re.search(r"Jetzt erreichbar bis (?:\w+ )?(\d\d:\d\d)", duty.inner_text())
    expected = (datetime.now(UTC) + timedelta(hours=3)).astimezone(BERLIN)
    assert until and until.group(1) in {
        expected.strftime("%H:%M"),
        (expected - timedelta(minutes=1)).strftime("%H:%M"),
    }
    assert re.search(r"Erreichbar ab \w\w 07:00", far.inner_text())
    assert "keine neuen Kunden" in far.inner_text()
    assert "Anfahrtspreis: keine Angabe" in far.inner_text()
    page.check("#only-now")
    assert result_names(page) == ["Sanitär Nahbei", "Heizung Mittendrin"]


def test_suggestions_work_with_the_keyboard(page, region):
    open_emergency(page, "abfluss")
    field = page.locator("#search-input")
    field.press_sequentially("Halberst", delay=30)
    page.wait_for_selector("#search-list [role=option]")
    assert field.get_attribute("aria-expanded") == "true"
    field.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").inner_text().startswith("38820 Halberstadt")
    field.press("Enter")
    page.wait_for_selector("#results .result")
    assert result_names(page) == ["Heizung Mittendrin"]


def test_device_position_is_asked_only_after_the_tap(make_context, region):
    context = make_context(geolocation={"latitude": 51.8960, "longitude": 11.0470})
    context.grant_permissions(["geolocation"])
    page = context.new_page()
    page.add_init_script(
        "(() => { const real = navigator.geolocation.getCurrentPosition.bind("
        "navigator.geolocation); window.__asked = 0; navigator.geolocation.getCurrentPosition ="
        " (...a) => { window.__asked += 1; return real(...a); }; })()"
    )
    open_emergency(page, "strom")
    reason = page.locator("#picker-search .reason")
    assert reason.is_visible() and "nicht gespeichert" in reason.inner_text()
    assert page.evaluate("window.__asked") == 0
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    page.wait_for_selector("#results .result")
    assert page.evaluate("window.__asked") == 1
    assert result_names(page) == ["Elektro Blitz"]
    assert page.locator("#place-current-label").inner_text() == "Ort: Mein Standort"


def test_ambiguous_town_lets_the_resident_choose(page, region):
    open_emergency(page, "wasser")
    page.fill("#search-input", "Neuenkirchen")
    page.click("#picker-search button[type=submit]")
    choices = page.locator("#picker-search .candidate-list button")
    choices.first.wait_for()
    assert choices.count() >= 2
    assert "Welchen meinen Sie?" in page.locator("#results-status").inner_text()
    choices.first.click()
    page.wait_for_function(
        "() => document.getElementById('results-status').textContent.includes('kein Betrieb')"
    )


def test_call_sends_an_anonymous_beacon_and_asks_afterwards(page, region, app):
    open_emergency(page, "wasser")
    search_postcode(page)
    # Headless Chromium has no dialler: a tel: navigation would leave the page waiting for
    # an external-protocol prompt. The page's own handler runs first; this listener (last,
    # on the document) records that the app did not hold the call up, then stops it.
    page.evaluate(
        "() => document.addEventListener('click', (event) => {"
        " const link = event.target.closest('a[href^=\"tel:\"]');"
        " if (!link) return;"
        " window.__dialled = {href: link.href, heldUp: event.defaultPrevented};"
        " event.preventDefault(); })"
    )
    with page.expect_request("**/api/v1/calls") as beacon:
        page.locator("#results .btn-call").first.click()
    assert page.evaluate("window.__dialled") == {"href": "tel:+493023125001", "heldUp": False}
    body = json.loads(beacon.value.post_data)
    assert set(body) == {"id", "business_id", "category", "channel"}
    assert UUID.match(body["id"])
    assert body["business_id"] == region["E2E-1"]
    assert body["category"] == "wasser" and body["channel"] == "app"
    assert page.locator("#call-dialog").is_hidden()
    # The dialler takes over the screen; then the resident comes back to the app.
    page.evaluate(
        "(state) => { Object.defineProperty(document, 'visibilityState',"
        " {value: state, configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }",
        "hidden",
    )
    page.evaluate(
        "(state) => { Object.defineProperty(document, 'visibilityState',"
        " {value: state, configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }",
        "visible",
    )
    dialog = page.locator("#call-dialog")
    dialog.wait_for()
    assert "Haben Sie jemanden erreicht?" in dialog.inner_text()
    assert "Sanitär Nahbei" in dialog.inner_text()
    screenshot(page, "nach-dem-anruf")
    with page.expect_response(f"**/api/v1/calls/{body['id']}/outcome") as outcome:
        dialog.get_by_role("button", name="Nein").click()
    assert outcome.value.status == 204
    assert page.evaluate("document.activeElement.dataset.businessId") == str(region["E2E-2"])
    db.session.rollback()
    event = db.session.scalar(select(CallEvent).where(CallEvent.public_id == body["id"]))
    assert event is not None and event.reached is False and event.category == "wasser"


def test_place_is_remembered_only_with_consent(page, region):
    open_emergency(page, "wasser")
    assert not page.locator("#search-remember, .remember-box").first.is_checked()
    search_postcode(page)
    assert page.evaluate("localStorage.getItem('schnellruf:lastPlace')") is None
    open_emergency(page, "heizung")
    assert page.locator("#picker-search").is_visible()  # nothing remembered: asked again
    page.check("#picker-search .remember-box")
    search_postcode(page)
    kept = json.loads(page.evaluate("localStorage.getItem('schnellruf:lastPlace')"))
    assert kept["postcode"] == "38820" and kept["label"] == "38820 Halberstadt"
    open_emergency(page, "wasser")
    page.wait_for_selector("#results .result")  # searched at once at the remembered place
    assert page.locator("#place-current-label").inner_text() == "Ort: 38820 Halberstadt"
    page.click("#place-change")
    page.uncheck("#picker-search .remember-box")
    search_postcode(page)
    assert page.evaluate("localStorage.getItem('schnellruf:lastPlace')") is None


def test_denied_position_leads_to_the_postcode_field(make_context, region):
    context = make_context()  # no geolocation permission: Chromium denies the request
    page = context.new_page()
    open_emergency(page, "wasser")
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'search-input'")
    assert "Ohne Freigabe geht es auch" in page.locator("#picker-search").inner_text()
    search_postcode(page)
    assert result_names(page)
    assert page.locator("#place-current-label").inner_text() == "Ort: 38820 Halberstadt"
