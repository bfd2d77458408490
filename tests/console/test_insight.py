"""The console's statistics and reachability pages, as a signed-in guild employee."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from backend.calls.models import CallEvent
from backend.extensions import db
from backend.hours import BERLIN
from backend.roster.models import UnansweredSearch
from tests.console.business_helpers import make_business

SVG = "{http://www.w3.org/2000/svg}"
THIS_MONDAY = datetime.now(BERLIN).date() - timedelta(days=datetime.now(BERLIN).weekday())


def call(business_id: int, reached: bool | None, channel: str = "app", days_ago: int = 0):
    db.session.add(CallEvent(
        public_id=str(uuid.uuid4()), business_id=business_id, category="wasser", channel=channel,
        at=datetime.now(UTC) - timedelta(days=days_ago), reached=reached,
    ))  # fmt: skip


@pytest.fixture
def counted(world):
    """This week: two app calls (one reached), one widget call; a search nobody answered."""
    plumber = make_business(world.guild)
    call(plumber, True)
    call(plumber, False)
    call(plumber, None, channel="widget")
    foreign = make_business(world.foreign_guild, name="Fremder Betrieb")
    call(foreign, True)
    db.session.add(UnansweredSearch(week=THIS_MONDAY, city="stadt-a", subject="wasser",
                                    channel="widget", count=3))  # fmt: skip
    db.session.commit()
    return plumber


def charts(html: str) -> list[ElementTree.Element]:
    svgs = [part.split("</svg>")[0] + "</svg>" for part in html.split("<svg")[1:]]
    return [ElementTree.fromstring("<svg" + svg) for svg in svgs]


def test_the_page_draws_accessible_charts_with_the_numbers_as_tables(staff_client, counted):
    response = staff_client.get("/console/insight/?lang=de")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    calls, searches = charts(html)
    for chart in (calls, searches):
        assert chart.get("role") == "img"
        title, desc = chart.find(f"{SVG}title"), chart.find(f"{SVG}desc")
        assert chart.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert calls.find(f"{SVG}title").text == "Anrufe je Woche"
    assert len(calls.findall(f"{SVG}rect")) == 3  # reached, not reached, no answer
    assert len(searches.findall(f"{SVG}rect")) == 1
    assert "<caption>Anrufe je Woche, Stadt, Gewerk und Kanal</caption>" in html
    week = f"{THIS_MONDAY.isocalendar()[0]}-W{THIS_MONDAY.isocalendar()[1]:02d}"
    numbers = '<td class="num">2</td><td class="num">1</td><td class="num">1</td>'
    assert f"<td>{week}</td><td>stadt-a</td><td>klempner</td><td>app</td>{numbers}" in html
    assert '<td>wasser</td><td>widget</td><td class="num">3</td>' in html
    assert "Fremder Betrieb" not in html and "+49" not in html  # no numbers, no other guild


def test_the_page_is_in_english_too(staff_client, counted):
    html = staff_client.get("/console/insight/?lang=en").get_data(as_text=True)
    assert "<title>Statistics" in html and "Calls per week" in html
    assert "Searches without an available business" in html
    assert "Anrufe" not in html


def test_filters_keep_one_channel_and_one_city(staff_client, counted):
    html = staff_client.get("/console/insight/?channel=widget&city=stadt-b").get_data(as_text=True)
    assert "<td>app</td>" not in html
    assert "<td>stadt-a</td>" not in html
    assert '<td>stadt-b</td><td>klempner</td><td>widget</td><td class="num">1</td>' in html


def test_bad_filter_values_fall_back_to_all(staff_client, counted):
    response = staff_client.get("/console/insight/?from=gestern&weeks=x&trade=zz&channel=fax")
    assert response.status_code == 200
    assert "<td>app</td>" in response.get_data(as_text=True)


def test_csv_downloads_are_utf8_with_neutralised_cells(staff_client, counted):
    db.session.add(UnansweredSearch(week=THIS_MONDAY, city="=cmd", subject="strom",
                                    channel="api", count=1))  # fmt: skip
    db.session.commit()
    calls = staff_client.get("/console/insight/export.csv")
    assert calls.mimetype == "text/csv" and "attachment" in calls.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(calls.get_data().decode("utf-8"))))
    assert rows[0] == ["week", "city", "trade", "channel", "calls", "reached", "not_reached"]
    assert len(rows) == 1 + 4  # two cities x (app, widget)
    searches = staff_client.get("/console/insight/export.csv?what=searches").get_data()
    lines = searches.decode("utf-8").splitlines()
    assert lines[0] == "week,city,subject,channel,searches_without_business"
    assert any(",'=cmd,strom,api,1" in line for line in lines)  # a spreadsheet shows text
    excel = staff_client.get("/console/insight/export.csv?what=searches&excel=1").get_data()
    assert excel.startswith("\ufeff".encode()) and b";" in excel


def test_reachability_lists_the_guilds_hard_to_reach_businesses(staff_client, world):
    bad = make_business(world.guild, name="Selten erreichbar")
    good = make_business(world.guild, name="Immer erreichbar")
    for day in range(4):
        call(bad, day == 0, days_ago=day)
        call(good, True, days_ago=day)
    db.session.commit()
    html = staff_client.get("/console/insight/reachability").get_data(as_text=True)
    assert "Selten erreichbar" in html and "Immer erreichbar" not in html
    assert '<td class="num">4</td><td class="num">3</td>' in html
    assert "50 %" in html  # the stated rule
