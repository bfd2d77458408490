"""Guild staff in Chromium: sign in with password and TOTP, edit a business and find the change
in the public search, meet the conflict page, and import a file with errors.

The console needs its session cookie, so these contexts allow cookies (the resident app's
contexts do not); requests to other hosts are still refused and recorded.
"""

from __future__ import annotations

import re

import pytest

from backend.extensions import db
from backend.organisations.operations import create_guild
from tests.console.business_helpers import make_business
from tests.console.staff_helpers import make_account
from tests.e2e.conftest import Guard, screenshot
from tests.imports.import_helpers import business as business_row
from tests.imports.import_helpers import csv_bytes

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff_world(app_context):
    guild = create_guild("innung-e2e", "Kreishandwerkerschaft E2E", actor="e2e")
    account = make_account("guild_staff", guild=guild)
    business_id = make_business(guild, name="Sanitär Vorher")
    assert account.email  # loaded now: the account is read after the session closes
    db.session.close()  # the server threads write without waiting for this session
    return account, business_id


@pytest.fixture
def console_context(browser, live_server):
    contexts = []

    def factory():
        context = browser.new_context(base_url=live_server.url, locale="de-DE",
                                      timezone_id="Europe/Berlin",
                                      viewport={"width": 1024, "height": 900})  # fmt: skip
        guard = Guard(live_server.url)
        context.route(guard.is_foreign, guard.abort)
        context.on("page", lambda page: page.on("console", guard.console))
        contexts.append((context, guard))
        return context

    yield factory
    for context, guard in contexts:
        context.close()
        assert guard.foreign == [], f"requests to other hosts: {guard.foreign}"
        assert guard.csp == [], f"CSP violations: {guard.csp}"


def signed_in_page(context, account):
    page = context.new_page()
    page.goto("/console/login")
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    page.click("button[type=submit]")
    page.fill("#code", account.code())
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/console/$"))
    return page


def test_edit_and_find_the_change_in_the_public_search(console_context, staff_world):
    account, _ = staff_world
    page = signed_in_page(console_context(), account)
    page.click("nav >> text=Betriebe")
    page.click("text=Sanitär Vorher")
    page.fill("#f-name", "Sanitär Nachher")
    page.fill("#f-opening_hours", "Mo-Sa 07:00-18:00; PH off")
    page.click("button[value=preview]")
    assert "Jetzt geöffnet?" in page.inner_text(".preview")
    page.click("button[value=save]")
    assert "Gespeichert" in page.inner_text(".notice")
    screenshot(page, "console-business-saved")
    answer = page.request.get("/api/v1/search?postcode=38820&emergency=wasser&available=any")
    assert [hit["name"] for hit in answer.json()["results"]] == ["Sanitär Nachher"]


def test_two_people_saving_see_the_conflict_page(console_context, staff_world):
    account, business_id = staff_world
    context = console_context()
    first = signed_in_page(context, account)
    second = context.new_page()  # the same person in a second tab, like a colleague
    for page in (first, second):
        page.goto(f"/console/businesses/{business_id}")
    first.fill("#f-name", "Fassung Eins")
    first.click("button[value=save]")
    second.fill("#f-name", "Fassung Zwei")
    second.click("button[value=save]")
    heading = second.inner_text("h1")
    assert heading.startswith("Gleichzeitig geändert")
    table = second.inner_text("table.compare")
    assert "Fassung Eins" in table and "Fassung Zwei" in table
    screenshot(second, "console-business-conflict")
    second.click("text=Meine Fassung speichern")
    assert second.input_value("#f-name") == "Fassung Zwei"


def test_an_import_with_errors_names_the_rows_and_writes_nothing(console_context, staff_world,
                                                                  tmp_path):  # fmt: skip
    account, _ = staff_world
    page = signed_in_page(console_context(), account)
    path = tmp_path / "betriebe.csv"
    path.write_bytes(
        csv_bytes([business_row("NEU-1"), business_row("NEU-2", phone="12", email="kaputt")])
    )
    page.goto("/console/imports/")
    page.set_input_files("#f-file", str(path))
    page.click("text=Hochladen und prüfen")
    page.wait_for_selector("text=Vorschau, noch nichts geschrieben")
    rows = page.inner_text("table")
    assert re.search(r"3\s+phone\s+12\s", rows) and re.search(r"3\s+email\s+kaputt", rows)
    screenshot(page, "console-import-errors")
    page.click("text=Bestätigen und schreiben")
    assert "Nichts geschrieben" in page.inner_text("[role=status]")
    answer = page.request.get("/api/v1/search?postcode=38820&emergency=wasser&available=any")
    assert "NEU-1" not in answer.text()
