"""The console in Chromium: sign in with password and TOTP; others refused on a guild page.

The console sets its session cookie, so these contexts are made here, not with the
resident app's cookie-free ``make_context``; requests to other hosts still fail them.
"""

from __future__ import annotations

import pyotp
import pytest

from backend.extensions import db
from tests.console.staff_helpers import PASSWORD, make_world
from tests.e2e.conftest import ARTIFACTS, Guard, screenshot

pytestmark = pytest.mark.e2e

AXE = ARTIFACTS.parent / "e2e" / "vendor" / "axe-core" / "axe.min.js"
TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def world(app_context):
    """Two guilds, two cities, an account per role (committed, session released)."""
    created = make_world()
    accounts = {role: (a.email, a.secret) for role, a in created.accounts.items()}
    db.session.commit()
    db.session.close()
    return accounts


@pytest.fixture
def console_page(browser, live_server):
    """A tablet-sized German page factory whose contexts may not leave 127.0.0.1."""
    opened = []

    def factory(**options):
        context = browser.new_context(viewport=TABLET, locale="de-DE", base_url=live_server.url,
                                      **options)  # fmt: skip
        guard = Guard(live_server.url)
        context.route(guard.is_foreign, guard.abort)
        context.on("page", lambda page: page.on("console", guard.console))
        opened.append((context, guard))
        return context.new_page()

    yield factory
    for context, guard in opened:
        context.close()
        assert guard.foreign == [], f"requests to other hosts: {guard.foreign}"
        assert guard.csp == [], f"CSP violations: {guard.csp}"


def _sign_in(page, email: str, secret: str | None) -> None:
    page.goto("/console/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Weiter").click()
    if secret:
        page.wait_for_url("**/console/login/code")
        page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/console/")


def _axe_violations(page) -> list:
    if not AXE.exists():
        return []
    page.add_script_tag(path=str(AXE))
    report = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in report["violations"]]


def test_guild_staff_signs_in_with_password_and_totp_and_opens_their_guild(console_page, world):
    email, secret = world["guild_own"]
    page = console_page()
    _sign_in(page, email, secret)
    assert "Guten Tag" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Kreishandwerkerschaft A").click()
    page.wait_for_url("**/console/guilds/innung-a")
    assert page.locator("h1").inner_text() == "Kreishandwerkerschaft A"
    assert page.get_by_role("button", name="Zugriff geben").is_visible()
    screenshot(page, "console-guild")
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/console/login")
    page.goto("/console/guilds/innung-a")
    assert "/console/login?next=/console/guilds/innung-a" in page.url


@pytest.mark.parametrize("role", ["city_own", "guild_foreign"])
def test_a_city_editor_and_another_guilds_staff_are_refused_on_a_guild_page(
    console_page, world, role
):
    email, secret = world[role]
    page = console_page()
    _sign_in(page, email, secret)
    response = page.goto("/console/guilds/innung-a")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Kein Zugriff"
    assert "Kreishandwerkerschaft A" not in page.locator("main").inner_text()


def test_sign_in_pages_are_accessible_and_keyboard_usable(console_page, world):
    page = console_page(bypass_csp=True)  # only to inject axe-core
    page.goto("/console/reset")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.goto("/console/login")
    assert page.evaluate("document.activeElement.id") == "email"  # autofocus
    assert _axe_violations(page) == []
    page.get_by_role("button", name="Weiter").click()  # empty: errors next to the fields
    assert page.locator("#email-error").inner_text().strip() == "Bitte ausfüllen."
    assert page.get_by_label("E-Mail-Adresse").get_attribute("aria-invalid") == "true"
    assert _axe_violations(page) == []
    page.goto("/console/login?lang=en")
    assert page.locator("h1").inner_text() == "Sign in"
    assert outline not in ("none", "")
    email, secret = world["admin"]
    page.goto("/console/login?lang=de")
    _sign_in(page, email, secret)
    for path in ("/console/", "/console/account", "/console/admin/cities/new",
                 "/console/admin/staff", "/console/guilds/innung-a"):  # fmt: skip
        page.goto(path)
        assert _axe_violations(page) == [], path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
            ".right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 5)"
        )
        assert overflow <= 0, (path, wide)
