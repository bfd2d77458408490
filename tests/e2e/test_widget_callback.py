"""The widget's callback form in Chromium with scripts off: request, state page, no cookie;
and no axe violation on the form and the state page."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from backend.extensions import db, limiter
from backend.messaging.models import CallbackRequest
from backend.organisations.operations import create_city

pytestmark = pytest.mark.e2e
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def city(app, region):
    """Halberstadt (framed by nobody else: these pages are opened directly)."""
    limiter.init_app(app)  # other apps of this session may have pointed it elsewhere
    limiter.reset()
    create_city("halberstadt", "Halberstadt", 51.8958, 11.0467, actor="e2e")
    db.session.commit()
    db.session.close()
    return region


def axe_violations(page, *skipped: str) -> list:
    page.evaluate(AXE.read_text() + "\n;0")
    report = page.evaluate(
        "([tags, skipped]) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "rules: Object.fromEntries(skipped.map((id) => [id, {enabled: false}]))})",
        [AXE_TAGS, list(skipped)],
    )
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in report["violations"]]


def test_a_callback_without_javascript(make_context, city):
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/widget/halberstadt?emergency=wasser&place=38820")
    page.locator(".result .btn-callback").first.click()
    page.wait_for_selector("#cb-phone")
    page.fill("#cb-phone", "+43 664 1234567")
    page.check("#cb-consent")
    page.click(".cb-form button[type=submit]")
    assert "(+49)" in page.locator("#cb-error").inner_text()
    page.fill("#cb-phone", "0170 1234567")
    page.click(".cb-form button[type=submit]")
    page.wait_for_selector(".cb-state")
    assert "Rückrufbitte ist eingegangen" in page.locator(".cb-state").inner_text()
    (callback,) = db.session.scalars(select(CallbackRequest)).all()
    assert callback.channel == "widget" and callback.emergency == "wasser"
    db.session.close()


def test_form_and_state_have_no_axe_violation(make_context, city):
    page = make_context().new_page()
    page.goto("/widget/halberstadt?emergency=wasser&place=38820")
    page.locator(".result .btn-callback").first.click()
    page.wait_for_selector("#cb-phone")
    assert axe_violations(page) == []
    page.click(".cb-form button[type=submit]")  # empty: the browser's own check stops it
    page.fill("#cb-phone", "0170 1234567")
    page.check("#cb-consent")
    page.click(".cb-form button[type=submit]")
    page.wait_for_selector(".cb-state")
    # The state page reloads itself (meta refresh, no script) and offers to stop that on
    # the page (WCAG 2.2.1: the person can turn the time limit off), which axe cannot see.
    page.get_by_text("Automatisch aktualisieren anhalten").wait_for()
    assert axe_violations(page, "meta-refresh") == []
    page.click("text=Automatisch aktualisieren anhalten")
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert axe_violations(page) == []
    db.session.close()
