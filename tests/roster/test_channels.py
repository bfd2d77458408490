"""The channel a search or call came from is recorded: app, widget, api, callback."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from backend.extensions import db
from backend.messaging.models import CallbackRequest
from backend.roster.models import UnansweredSearch
from backend.roster.stats import weekly_call_stats
from tests import factories
from tests.roster.test_coverage import at, city

SATURDAY_NIGHT = "2026-12-12T23:00:00+01:00"
QUERY = {"lat": 51.9, "lon": 11.05, "emergency": "strom", "at": SATURDAY_NIGHT}


def counted() -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(UnansweredSearch.channel, UnansweredSearch.count).order_by(UnansweredSearch.channel)
    )
    return [tuple(row) for row in rows]


def test_the_search_api_counts_a_miss_for_the_channel_it_is_told(client):
    city()
    assert client.get("/api/v1/search", query_string=QUERY).status_code == 200
    for minute, channel in enumerate(("app", "app", "callback"), start=1):
        # Another minute each: an equal query is answered from the cache, not counted again.
        query = {**QUERY, "channel": channel, "at": f"2026-12-12T23:0{minute}:00+01:00"}
        assert client.get("/api/v1/search", query_string=query).status_code == 200
    assert counted() == [("api", 1), ("app", 2), ("callback", 1)]


def test_an_unknown_channel_is_a_problem_naming_it(client):
    answer = client.get("/api/v1/search", query_string={**QUERY, "channel": "fax"})
    assert answer.status_code == 422
    assert answer.content_type == "application/problem+json"
    assert "channel" in answer.get_data(as_text=True)


def test_the_openapi_document_states_the_optional_channel(client):
    parameters = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/search"]["get"][
        "parameters"
    ]
    (channel,) = [p for p in parameters if p["name"] == "channel"]
    assert not channel.get("required", False)
    assert channel["schema"]["enum"] == ["app", "widget", "api", "callback"]
    assert "api (default)" in channel["description"]


def test_the_widget_counts_its_misses_as_widget(client):
    city()
    answer = client.get("/widget/halberstadt", query_string={"emergency": "strom"})
    assert answer.status_code == 200
    assert counted() == [("widget", 1)]


def test_the_app_says_it_is_the_app():
    api = (Path(__file__).parents[2] / "pwa/lib/api.js").read_text()
    search = api[api.index("export function searchNear") :]
    assert 'channel: "app"' in search[: search.index("}\n")]


def test_callback_requests_count_as_calls_of_the_callback_channel(app_context):
    city()
    plumber = factories.business(trades=("klempner",))
    other = factories.business(trades=("klempner",))
    other.guild = factories.guild("andere", "Andere")
    for business, state in ((plumber, "connected"), (plumber, "business_not_answered"),
                            (plumber, "failed"), (other, "connected")):  # fmt: skip
        db.session.add(CallbackRequest(
            public_id=f"{business.id}-{state}", business=business, emergency="wasser",
            channel="app", state=state, created_at=at("2026-12-08 10:00"),
        ))  # fmt: skip
    db.session.commit()
    start, end = at("2026-12-01 00:00"), at("2027-01-01 00:00")
    assert weekly_call_stats(start, end, guild_id=plumber.guild_id) == [
        ("2026-W50", "halberstadt", "klempner", "callback", 3, 1, 1)
    ]
    assert weekly_call_stats(start, end)[0][4] == 4
