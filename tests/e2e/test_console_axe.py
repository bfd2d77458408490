"""axe-core in Chromium on the business and statistics pages of the console: no violation.

The pages as guild staff use them: the list with its filters, the edit page with the
hours preview, verification, an import preview with errors, the audit logs, the
statistics with their charts, the hard-to-reach businesses and the guild's page.
"""

from __future__ import annotations

import uuid

import pytest

from backend.calls.models import CallEvent
from backend.extensions import db
from backend.organisations.operations import create_guild
from tests.console.business_helpers import make_business
from tests.console.staff_helpers import make_account
from tests.e2e.test_console import _axe_violations
from tests.e2e.test_console_businesses import signed_in_page
from tests.imports.import_helpers import business as business_row
from tests.imports.import_helpers import csv_bytes

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff_world(app_context):
    """A guild with a business residents answered "not reached" for, and its staff."""
    guild = create_guild("innung-axe", "Kreishandwerkerschaft Axe", actor="e2e")
    account = make_account("guild_staff", guild=guild)
    business_id = make_business(guild, name="Sanitär Selten")
    for reached in (False, False, True):
        db.session.add(CallEvent(public_id=str(uuid.uuid4()), business_id=business_id,
                                 channel="app", reached=reached))  # fmt: skip
    db.session.commit()
    assert account.email and account.user.id  # loaded before the session closes
    db.session.close()
    return account, business_id


@pytest.fixture
def page(browser, live_server, staff_world):
    """A signed-in page that may inject axe-core (CSP bypassed for that only)."""
    context = browser.new_context(base_url=live_server.url, locale="de-DE", bypass_csp=True,
                                  timezone_id="Europe/Berlin",
                                  viewport={"width": 1024, "height": 900})  # fmt: skip
    yield signed_in_page(context, staff_world[0])
    context.close()


def test_business_and_statistics_pages_have_no_axe_violation(page, staff_world, tmp_path):
    account, business_id = staff_world
    for path in (
        "/console/businesses/",
        "/console/businesses/?unreachable=1&due=1&active=all",
        f"/console/businesses/{business_id}",
        "/console/businesses/new",
        "/console/verification/",
        "/console/imports/",
        f"/console/audit/businesses/{business_id}",
        f"/console/audit/people/{account.user.id}",
        "/console/insight/",
        "/console/insight/?lang=en",
        "/console/insight/reachability?lang=de",
        "/console/guilds/innung-axe",
    ):
        page.goto(path)
        assert _axe_violations(page) == [], path
    page.goto(f"/console/businesses/{business_id}")
    page.click("button[value=preview]")  # the hours preview with the week drawn
    assert _axe_violations(page) == [], "edit page with preview"
    csv_file = tmp_path / "betriebe.csv"
    csv_file.write_bytes(csv_bytes([business_row("AX-1"), business_row("AX-2", phone="12")]))
    page.goto("/console/imports/")
    page.set_input_files("#f-file", str(csv_file))
    page.click("text=Hochladen und prüfen")
    page.wait_for_selector("text=Vorschau, noch nichts geschrieben")
    assert _axe_violations(page) == [], "import preview"
