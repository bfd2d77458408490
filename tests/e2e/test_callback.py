"""The callback request in the app: offered under "Anrufen", refused numbers explained in
German, the state shown as the request moves on; no axe violation with the form open."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from backend.extensions import db, limiter
from backend.messaging.callbacks import call_started
from backend.messaging.models import CallbackRequest
from backend.roster.models import RosterShift

pytestmark = pytest.mark.e2e
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def open_first_callback(page):
    page.goto("/#/notfall/wasser")
    page.wait_for_selector("html[data-ready]")
    page.fill("#search-input", "38820")
    page.click("#picker-search button[type=submit]")
    page.wait_for_selector("#results .result")
    first = page.locator("#results .result").first
    first.locator("details.callback summary").click()
    return first


def test_request_a_callback_and_see_its_state(app, page, region):
    limiter.init_app(app)  # other apps of this session may have pointed it elsewhere
    limiter.reset()
    card = open_first_callback(page)
    form = card.locator(".callback-form")
    form.locator("input[type=tel]").fill("+43 664 1234567")
    form.locator("input[type=checkbox]").check()
    form.locator("button[type=submit]").click()
    status = card.locator(".callback-status")
    status.filter(has_text="+49").wait_for()
    assert db.session.scalars(select(CallbackRequest)).all() == []

    form.locator("input[type=tel]").fill("0170 1234567")
    form.locator("button[type=submit]").click()
    status.filter(has_text="Rückrufbitte ist eingegangen").wait_for()
    assert form.is_hidden()
    (callback,) = db.session.scalars(select(CallbackRequest)).all()
    assert callback.resident_phone == "+491701234567" and callback.emergency == "wasser"
    assert callback.channel == "app"
    # The worker is not running here: move the request on as it would.
    call_started(callback, "CA-e2e")
    db.session.commit()
    db.session.close()
    status.filter(has_text="Wir rufen den Betrieb an").wait_for(timeout=10000)


def test_the_open_form_has_no_axe_violation(page, region):
    open_first_callback(page)
    page.evaluate(AXE.read_text() + "\n;0")
    report = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in report["violations"]]
    assert violations == []


def test_duty_confirmed_badge(page, region):
    shift = db.session.scalars(select(RosterShift)).one()
    shift.confirmed_at = shift.starts_at
    db.session.commit()
    db.session.close()
    page.goto("/#/notfall/wasser")
    page.wait_for_selector("html[data-ready]")
    page.fill("#search-input", "38820")
    page.click("#picker-search button[type=submit]")
    page.wait_for_selector("#results .result")
    badges = page.locator("#results .result").nth(1).locator(".badge").all_inner_texts()
    assert "Notdienst bestätigt" in badges
