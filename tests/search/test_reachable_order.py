"""A guild's choice: its hard-to-reach businesses listed after the reached ones, every channel."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.calls.models import CallEvent
from backend.calls.reachability import demoted_among, set_demote_unreachable
from backend.extensions import db
from backend.organisations.models import GuildAssociation
from backend.organisations.operations import create_city
from tests import factories
from tests.console.staff_helpers import make_account, sign_in

NEAR, FAR = (51.8959, 11.0468), (51.9000, 11.0500)


def answered(business, *reached: bool) -> None:
    for value in reached:
        db.session.add(CallEvent(public_id=str(uuid.uuid4()), business_id=business.id,
                                 channel="app", reached=value))  # fmt: skip
    db.session.commit()


@pytest.fixture
def pair(app_context):
    """A hard-to-reach plumber next to the centre and a reached one a little further."""
    rarely = factories.business(name="Selten erreichbar", lat=NEAR[0], lon=NEAR[1],
                                opening_hours="24/7")  # fmt: skip
    always = factories.business(name="Gut erreichbar", lat=FAR[0], lon=FAR[1],
                                opening_hours="24/7")  # fmt: skip
    answered(rarely, False, False, True)
    answered(always, True, True, False)
    return rarely, always


def choose(demote: bool) -> None:
    guild = factories.guild()
    guild.demote_unreachable = demote
    db.session.commit()


def api_names(client, minute: int) -> list[str]:
    # A minute of its own per call: equal queries may be answered from the shared cache.
    answer = client.get("/api/v1/search", query_string={
        "lat": 51.8958, "lon": 11.0467, "emergency": "wasser",
        "at": f"2026-12-09T10:{minute:02d}:00+01:00",
    })  # fmt: skip
    return [hit["name"] for hit in answer.json["results"]]


def test_only_a_guild_that_chose_it_lists_its_hard_to_reach_businesses_last(client, pair):
    rarely, always = pair
    assert api_names(client, 1) == ["Selten erreichbar", "Gut erreichbar"]  # nearest first
    assert demoted_among([rarely.id, always.id]) is None  # order by distance alone
    choose(True)
    assert demoted_among([rarely.id, always.id]) == {rarely.id}
    assert api_names(client, 2) == ["Gut erreichbar", "Selten erreichbar"]
    choose(False)
    assert api_names(client, 3) == ["Selten erreichbar", "Gut erreichbar"]


def test_the_widget_lists_in_the_same_order(client, pair):
    create_city("halberstadt", "Halberstadt", 51.8958, 11.0467, actor="test")
    choose(True)
    html = client.get("/widget/halberstadt?emergency=wasser").get_data(as_text=True)
    assert html.index("Gut erreichbar") < html.index("Selten erreichbar")


def test_the_guild_page_sets_the_choice_with_an_audit_entry(app, pair):
    guild = factories.guild()
    db.session.commit()
    staff = make_account("guild_staff", guild=guild)
    browser = app.test_client()
    sign_in(browser, staff)
    page = browser.get(f"/console/guilds/{guild.slug}?lang=de").get_data(as_text=True)
    assert "Schwer erreichbare Betriebe nach den erreichbaren listen" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    url = f"/console/insight/order/{guild.slug}"
    assert browser.post(url, data={"demote_unreachable": "1"}).status_code == 400  # no CSRF
    saved = browser.post(url, data={"csrf_token": token, "demote_unreachable": "1"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(GuildAssociation, guild.id).demote_unreachable is True
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "guild_settings"))
    assert [(c.field, c.new_value) for c in entry.changes] == [("demote_unreachable", "ja")]
    browser.post(url, data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(GuildAssociation, guild.id).demote_unreachable is False


def test_the_choice_is_seen_by_the_next_identical_search(client, pair):
    # Same query, same minute: the answer cache would serve the old order if the choice
    # did not move the search data version on.
    assert api_names(client, 20) == ["Selten erreichbar", "Gut erreichbar"]
    set_demote_unreachable(factories.guild(), True, actor="test")
    db.session.commit()
    assert api_names(client, 20) == ["Gut erreichbar", "Selten erreichbar"]


def test_an_order_by_call_answers_is_never_served_from_the_cache(client, pair):
    rarely, always = pair
    choose(True)
    assert api_names(client, 30) == ["Gut erreichbar", "Selten erreichbar"]
    answered(always, False, False, False)  # now both hard to reach: distance decides
    answered(rarely, True, True, True, True, True, True)
    assert api_names(client, 30) == ["Selten erreichbar", "Gut erreichbar"]
