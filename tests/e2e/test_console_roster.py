"""Guild staff in Chromium close a gap of the duty plan: the week's gap timeline, the fill
suggestions, a proposal accepted, the gap gone; no axe violation on the pages on the way."""

from __future__ import annotations

import re

import pytest

from backend.extensions import db
from backend.organisations.operations import create_city, create_guild
from tests.console.business_helpers import make_business
from tests.console.staff_helpers import make_account
from tests.e2e.conftest import Guard, screenshot
from tests.e2e.test_console import AXE, _axe_violations
from tests.e2e.test_console_businesses import signed_in_page

pytestmark = pytest.mark.e2e
WEEK = "/console/roster/?guild=innung-plan&from=2026-12-07&trade=klempner"


@pytest.fixture
def axe_context(browser, live_server):
    """A German desktop context; CSP bypassed only so that axe-core can be injected."""
    context = browser.new_context(base_url=live_server.url, locale="de-DE", bypass_csp=True,
                                  timezone_id="Europe/Berlin",
                                  viewport={"width": 1280, "height": 900})  # fmt: skip
    guard = Guard(live_server.url)
    context.route(guard.is_foreign, guard.abort)
    yield context
    context.close()
    assert guard.foreign == [], f"requests to other hosts: {guard.foreign}"


@pytest.fixture
def plan_world(app_context):
    guild = create_guild("innung-plan", "Kreishandwerkerschaft Plan", actor="e2e")
    create_city("halberstadt", "Halberstadt", 51.8958, 11.0467, actor="e2e")
    account = make_account("guild_staff", guild=guild)
    make_business(guild, name="Sanitär Einspringer")
    assert account.email  # loaded now: the account is read after the session closes
    db.session.close()  # the server threads write without waiting for this session
    return account


def test_staff_close_a_gap_from_the_plan(axe_context, plan_world):
    assert AXE.exists()
    page = signed_in_page(axe_context, plan_world)
    page.click("nav >> text=Notdienstplan")
    page.goto(WEEK)
    assert page.inner_text("h1") == "Notdienstplan – Kreishandwerkerschaft Plan"
    row = page.locator("#city-halberstadt + .table-wrap tr[data-emergency=wasser]")
    before = row.locator("li.gap").count()
    assert before > 0 and "Fr 11.12.2026 17:00" in row.inner_text()
    assert _axe_violations(page) == []
    screenshot(page, "console-roster-week")
    row.locator("li.gap", has_text="Fr 11.12.2026 17:00").get_by_role(
        "link", name=re.compile("Lücke schließen")).click()  # fmt: skip
    page.wait_for_url(re.compile(r"/console/roster/suggestions"))
    assert "Sanitär Einspringer" in page.inner_text("table")
    assert _axe_violations(page) == []
    page.get_by_role("button", name=re.compile("Vorschlag annehmen")).first.click()
    page.wait_for_url(re.compile(r"/console/roster/\?"))
    assert "ist geschlossen" in page.inner_text(".notice")
    screenshot(page, "console-roster-closed")
    page.goto(WEEK)
    row = page.locator("#city-halberstadt + .table-wrap tr[data-emergency=wasser]")
    assert "Fr 11.12.2026 17:00" not in row.inner_text()
    assert row.locator("li.gap").count() == before - 1
    assert page.locator("tr.shift-row", has_text="Sanitär Einspringer").count() == 1
