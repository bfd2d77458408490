"""The printed notice's QR code opens the app with the town preselected (``/?stadt=<slug>``)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from backend.extensions import db
from backend.organisations.operations import create_city

pytestmark = pytest.mark.e2e


@pytest.fixture
def town(region):
    """A partner town whose centre lies next to the plumber 9 km east of Halberstadt."""
    create_city("weitweg", "Weitweg", 51.8958, 11.1770, actor="e2e")
    db.session.commit()
    db.session.close()


def test_the_towns_centre_is_the_place_searched_and_the_app_says_so(page, town):
    searches = []
    page.on("request", lambda r: "/api/v1/search" in r.url and searches.append(r.url))
    page.goto("/?stadt=weitweg")
    page.wait_for_selector("html[data-ready]")
    page.wait_for_load_state("networkidle")  # the town's centre has arrived
    page.click("a[href='#/notfall/wasser']")
    page.wait_for_selector("#results .result")
    assert page.locator("#place-current-label").inner_text() == "Ort: Weitweg"
    names = page.locator("#results .result h3").all_inner_texts()
    assert names[0] == "Rohrdienst Weitweg"  # nearest to the town's centre
    query = parse_qs(urlsplit(searches[-1]).query)
    assert (query["lat"], query["lon"], query["channel"]) == (["51.8958"], ["11.177"], ["app"])


def test_a_place_the_resident_chooses_replaces_the_town(page, town):
    page.goto("/?stadt=weitweg")
    page.wait_for_selector("html[data-ready]")
    page.wait_for_load_state("networkidle")
    page.click("a[href='#/notfall/wasser']")
    page.wait_for_selector("#results .result")
    page.click("#place-change")
    page.fill("#search-input", "38820")
    page.click("#picker-search button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('place-current-label').textContent.includes('38820')"
    )
    # Not kept (no consent to remember): the next emergency asks again, not for the town.
    page.evaluate("() => { location.hash = '#/notfall/heizung'; }")
    page.wait_for_selector("#search-input", state="visible")
    assert page.locator("#place-current").is_hidden()


def test_an_unknown_town_changes_nothing(page, region):
    page.goto("/?stadt=nirgendwo")
    page.wait_for_selector("html[data-ready]")
    page.click("a[href='#/notfall/wasser']")
    assert page.locator("#search-input").is_visible()  # no place yet: the picker asks
