"""Closing gaps in the console: fill suggestions taken or replaced, templates, publishing
with the remaining gaps as warnings, swaps approved by staff, the demo region's open weekend."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from urllib.parse import urlsplit

from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.businesses.models import Business
from backend.demo.region import GUILD_SLUG
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.grants import create_grant
from backend.organisations.models import GuildAssociation
from backend.roster.coverage import find_gaps
from backend.roster.models import RosterPublication, RosterShift
from backend.roster.swaps import accept_swap, ask_swap
from tests import factories
from tests.console.business_helpers import make_business
from tests.console.roster_helpers import berlin
from tests.console.staff_helpers import csrf_token, make_account, sign_in

SPAN = {"city": "stadt-a", "emergency": "wasser", "start": "2026-12-12T00:00+01:00",
        "end": "2026-12-12T06:00+01:00"}  # fmt: skip


def suggestions_url(**span) -> str:
    query = "&".join(f"{k}={v.replace('+', '%2B')}" for k, v in span.items())
    return f"/console/roster/suggestions?guild=innung-a&{query}"


def test_a_proposal_taken_closes_the_gap(staff_client, world):
    make_business(world.guild, name="Sanitär Vorschlag")
    page = staff_client.get(suggestions_url(**SPAN) + "&lang=de").get_data(as_text=True)
    assert "Lücke schließen: Stadt A, Wasserrohrbruch" in page
    proposal = re.search(r'name="who" value="([^"]+)"', page)[1]
    assert "Sanitär Vorschlag" in page
    token = csrf_token(staff_client, suggestions_url(**SPAN))
    response = staff_client.post("/console/roster/suggestions", data={
        **SPAN, "guild": "innung-a", "who": proposal, "csrf_token": token})  # fmt: skip
    assert response.status_code == 302
    assert "from=2026-12-12" in response.location
    shift = db.session.scalar(select(RosterShift))
    assert (shift.starts_at, shift.ends_at) == (berlin("2026-12-12 00:00"),
                                                berlin("2026-12-12 06:00"))  # fmt: skip
    plan = staff_client.get(response.location).get_data(as_text=True)
    assert "Die Lücke in Stadt A (Wasserrohrbruch" in plan and "ist geschlossen" in plan
    gaps = [g for g in find_gaps(date(2026, 12, 12), date(2026, 12, 12), "stadt-a")
            if g.emergency == "wasser"]  # fmt: skip
    assert all(g.end <= berlin("2026-12-12 00:00") or g.start >= berlin("2026-12-12 06:00")
               for g in gaps)  # fmt: skip


def test_another_business_can_be_chosen_and_refusals_are_german(staff_client, world):
    other = make_business(world.guild, name="Sanitär Anders")
    factories.shift(db.session.get(Business, other), "klempner", berlin("2026-12-12 05:00"),
                    berlin("2026-12-12 07:00"))  # fmt: skip
    page = staff_client.get(suggestions_url(**SPAN)).get_data(as_text=True)
    assert f'<option value="{other}|klempner">Sanitär Anders – Klempner</option>' in page
    data = {**SPAN, "guild": "innung-a", "who": f"{other}|klempner",
            "csrf_token": csrf_token(staff_client, suggestions_url(**SPAN))}  # fmt: skip
    refused = staff_client.post("/console/roster/suggestions?lang=de", data=data)
    assert refused.status_code == 422
    assert "Sanitär Anders hat in dieser Zeit schon Notdienst" in refused.get_data(as_text=True)
    assert db.session.query(RosterShift).count() == 1
    data["who"] = "kaputt"
    assert staff_client.post("/console/roster/suggestions", data=data).status_code == 422
    bad = suggestions_url(**{**SPAN, "start": "gestern"})
    assert staff_client.get(bad).status_code == 400
    assert staff_client.get(suggestions_url(**{**SPAN, "city": "nirgendwo"})).status_code == 404
    assert (
        staff_client.get(suggestions_url(**{**SPAN, "emergency": "gasgeruch"})).status_code == 400
    )


def test_a_business_of_a_foreign_guild_cannot_be_put_on_duty(staff_client, world):
    foreign = make_business(world.foreign_guild, name="Sanitär Fremd")
    page = staff_client.get(suggestions_url(**SPAN)).get_data(as_text=True)
    assert "Sanitär Fremd" in page and "anderer Verband" in page
    response = staff_client.post("/console/roster/suggestions", data={
        **SPAN, "guild": "innung-a", "who": f"{foreign}|klempner",
        "csrf_token": csrf_token(staff_client, suggestions_url(**SPAN))})  # fmt: skip
    assert response.status_code == 403
    assert db.session.scalar(select(RosterShift)) is None


def test_a_template_adds_every_weekend_all_or_none(staff_client, world):
    business_id = make_business(world.guild, name="Sanitär Vorlage")
    path = "/console/roster/templates?guild=innung-a"
    data = {"csrf_token": csrf_token(staff_client, path), "who": f"{business_id}|klempner",
            "template": "weekends", "first_day": "2026-12-07", "last_day": "2026-12-27",
            "land": "ST", "action": "preview"}  # fmt: skip
    preview = staff_client.post(path, data=data).get_data(as_text=True)
    assert "Fr 11.12.2026 18:00 – Mo 14.12.2026 07:00" in preview and "Zeiträume (3)" in preview
    assert db.session.scalar(select(RosterShift)) is None
    factories.shift(db.session.get(Business, business_id), "klempner",
                    berlin("2026-12-26 10:00"), berlin("2026-12-26 12:00"))  # fmt: skip
    refused = staff_client.post(path, data={**data, "action": "apply"})
    assert refused.status_code == 422
    assert "Fr 25.12.2026 18:00 – Mo 28.12.2026 07:00: Sanitär Vorlage hat in dieser Zeit" in (
        refused.get_data(as_text=True)
    )
    assert db.session.query(RosterShift).count() == 1
    applied = staff_client.post(path, data={**data, "action": "apply", "last_day": "2026-12-20"})
    assert applied.status_code == 302
    assert db.session.query(RosterShift).count() == 3
    wrong = staff_client.post(path, data={**data, "first_day": "2026-12-20",
                                          "last_day": "2026-12-07"})  # fmt: skip
    assert "Der letzte Tag darf nicht vor dem ersten liegen." in wrong.get_data(as_text=True)
    crafted = staff_client.post(path, data={**data, "template": "ostern", "land": "XX"})
    assert crafted.status_code == 422
    assert crafted.get_data(as_text=True).count("Bitte einen der Einträge wählen.") == 2


def test_publishing_warns_about_every_gap_and_records_it(staff_client, world):
    make_business(world.guild)
    path = "/console/roster/publish?guild=innung-a&first_day=2026-12-12&last_day=2026-12-13"
    gaps = find_gaps(date(2026, 12, 12), date(2026, 12, 13))
    page = staff_client.get(path).get_data(as_text=True)
    assert f"{len(gaps)} Lücken bleiben offen" in page
    assert page.count('<li class="gap">') == len(gaps) > 0
    assert "Trotz Lücken veröffentlichen" in page
    response = staff_client.post(path, data={"csrf_token": csrf_token(staff_client, path)})
    assert response.status_code == 302
    record = db.session.scalar(select(RosterPublication))
    assert (record.first_day, record.last_day, record.gap_count) == (
        date(2026, 12, 12),
        date(2026, 12, 13),
        len(gaps),
    )
    assert record.published_by == world.accounts["guild_own"].email
    plan = staff_client.get(response.location).get_data(as_text=True)
    assert f"{len(gaps)} Lücken offen" in plan and "Veröffentlicht: 12.12.2026 – 13.12.2026" in plan


def test_staff_approve_a_swap_that_waits_for_them(staff_client, world):
    city_far = make_business(world.guild, name="Elektro Weit", lat=52.40, lon=11.05)
    holder = factories.business(trades=("elektrotechniker",), name="Elektro Nah",
                                opening_hours=None)  # fmt: skip
    holder.guild = world.guild
    far = db.session.get(Business, city_far)
    far.set_trades([factories.trade("elektrotechniker")])
    shift = factories.shift(holder, "elektrotechniker", berlin("2026-12-12 08:00"),
                            berlin("2026-12-13 08:00"))  # fmt: skip
    swap, _ = ask_swap(shift, far, actor="swap:holder")
    accept_swap(swap, actor="swap-link")
    db.session.commit()
    assert swap.status == "accepted"  # the city would lose its electrician
    page = staff_client.get("/console/roster/swaps?guild=innung-a").get_data(as_text=True)
    assert "angenommen, wartet auf Freigabe" in page and "Elektro Nah" in page
    plan = staff_client.get("/console/roster/?guild=innung-a").get_data(as_text=True)
    assert "(1 warten)" in plan
    token = csrf_token(staff_client, "/console/roster/swaps?guild=innung-a")
    url = f"/console/roster/swaps/{swap.id}"
    assert staff_client.post(url, data={"csrf_token": token, "decision": "x"}).status_code == 400
    staff_client.post(url, data={"csrf_token": token, "decision": "approve"})
    db.session.expire_all()
    assert (swap.status, shift.business_id) == ("approved", far.id)
    again = staff_client.post(
        url, data={"csrf_token": token, "decision": "decline"}, follow_redirects=True
    )
    assert "Nicht möglich: Dieser Tausch ist schon freigegeben." in again.get_data(as_text=True)


def test_staff_of_a_guild_with_a_grant_plan_for_the_granting_guild(app, world):
    now = datetime.now(UTC)
    grant = create_grant(world.foreign_guild, world.guild, now - timedelta(hours=1),
                         now + timedelta(days=1), actor="test")  # fmt: skip
    db.session.commit()
    business_id = make_business(world.foreign_guild, name="Sanitär Geteilt")
    browser = app.test_client()
    sign_in(browser, world.accounts["guild_own"])
    path = "/console/roster/shifts/new?guild=innung-b"
    response = browser.post(path, data={
        "csrf_token": csrf_token(browser, path), "who": f"{business_id}|klempner",
        "start": "2026-12-11T18:00", "end": "2026-12-14T07:00"})  # fmt: skip
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditLogEntry).where(
        AuditLogEntry.entity_type == "RosterShift"))  # fmt: skip
    assert entry.grant_id == grant.id


def test_the_demo_weekend_gap_is_closed_in_the_console(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    guild = db.session.scalar(select(GuildAssociation).where(GuildAssociation.slug == GUILD_SLUG))
    account = make_account("guild_staff", guild=guild, email="neu@example.org")
    browser = app.test_client()
    sign_in(browser, account)
    today = datetime.now(UTC).astimezone(BERLIN).date()
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    plan = f"/console/roster/?guild={GUILD_SLUG}&from={friday.isoformat()}&trade=elektrotechniker"
    html = browser.get(plan).get_data(as_text=True)
    links = re.findall(r'href="(/console/roster/suggestions\?[^"]*emergency=strom[^"]*)"', html)
    weekend = [unescape(link) for link in links if f"start={friday.isoformat()}" in unescape(link)]
    assert weekend, "the demo plan should show the electricians' weekend gap"
    link = weekend[0]
    page = browser.get(link).get_data(as_text=True)
    proposal = re.search(r'name="who" value="([^"]+)"', page)[1]
    query = dict(pair.split("=", 1) for pair in urlsplit(link).query.split("&"))
    data = {key: query[key].replace("%2B", "+").replace("%3A", ":")
            for key in ("city", "emergency", "start", "end")}  # fmt: skip
    token = csrf_token(browser, link)
    response = browser.post("/console/roster/suggestions", data={
        **data, "guild": GUILD_SLUG, "who": proposal, "csrf_token": token})  # fmt: skip
    assert response.status_code == 302
    after = browser.get(plan).get_data(as_text=True)
    assert "ist geschlossen" in after
    closed = [
        unescape(x) for x in re.findall(r'href="(/console/roster/suggestions\?[^"]*)"', after)
    ]
    assert link not in closed
