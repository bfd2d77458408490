"""Searches that found nobody available, counted anonymously by the search view."""

from __future__ import annotations

from sqlalchemy import select

from backend.extensions import db
from backend.roster.misses import unanswered_rows
from backend.roster.models import UnansweredSearch
from tests import factories
from tests.roster.test_coverage import at, city


def test_unanswered_searches_are_counted_per_week_city_subject(client):
    city(coverage_km=16.0)
    city("fern", lat=53.5, lon=10.0)
    factories.business(trades=("klempner",), opening_hours="Mo-Fr 08:00-17:00")
    query = {"lat": 51.9, "lon": 11.05, "emergency": "wasser"}
    # Saturday night: nobody; Monday morning: the plumber; gas smell: advice only.
    for when in ("2026-12-12T23:00:00+01:00", "2026-12-13T01:00:00+01:00"):
        answer = client.get("/api/v1/search", query_string={**query, "at": when})
        assert answer.json["results"] == []
    client.get("/api/v1/search", query_string={**query, "at": "2026-12-14T09:00:00+01:00"})
    client.get("/api/v1/search", query_string={**query, "emergency": "gasgeruch"})
    rows = db.session.execute(
        select(UnansweredSearch.city, UnansweredSearch.subject, UnansweredSearch.count)
    ).all()
    assert [tuple(r) for r in rows] == [("halberstadt", "wasser", 2)]  # Fern is too far
    assert unanswered_rows(at("2026-12-07 00:00"), at("2026-12-21 00:00")) == [
        ("2026-W50", "halberstadt", "wasser", "api", 2)
    ]


def test_unanswered_searches_from_the_command_line(runner):
    city()
    from backend.roster.misses import note_unanswered
    from backend.search.operation import SearchRequest, find_help

    result = find_help(SearchRequest(lat=51.9, lon=11.05, emergency="strom",
                                     at=at("2026-12-12 23:00")))  # fmt: skip
    assert note_unanswered(result, "widget") == 1
    db.session.commit()
    out = runner.invoke(args=["roster", "stats", "--what", "searches", "--from", "2026-12-07",
                              "--to", "2026-12-13"]).stdout  # fmt: skip
    assert out.splitlines() == [
        "week,city,subject,channel,unanswered_searches",
        "2026-W50,halberstadt,strom,widget,1",
    ]
