"""Weekly call statistics (CSV, SVG) and the reachability flag, from anonymous call events."""

from __future__ import annotations

import uuid
from xml.etree import ElementTree

from backend.calls.models import CallEvent
from backend.extensions import db
from backend.roster.stats import (
    stats_csv,
    stats_svg,
    unreachable_businesses,
    weekly_call_stats,
)
from tests import factories
from tests.roster.test_coverage import at, city


def _call(business, when, reached, channel="app", category="wasser"):
    event = CallEvent(public_id=str(uuid.uuid4()), business_id=business.id, category=category,
                      channel=channel, at=at(when), reached=reached)  # fmt: skip
    db.session.add(event)


def test_weekly_stats_per_city_trade_and_channel(app_context, runner):
    city()
    city("quedlinburg", lat=51.7917, lon=11.1472, coverage_km=5.0)
    plumber = factories.business(trades=("klempner",))
    _call(plumber, "2026-12-07 10:00", True)
    _call(plumber, "2026-12-08 10:00", False)
    _call(plumber, "2026-12-09 10:00", None, channel="widget")
    _call(plumber, "2026-12-14 10:00", True)
    db.session.commit()
    rows = weekly_call_stats(at("2026-12-01 00:00"), at("2027-01-01 00:00"))
    assert rows == [
        ("2026-W50", "halberstadt", "klempner", "app", 2, 1, 1),
        ("2026-W50", "halberstadt", "klempner", "widget", 1, 0, 0),
        ("2026-W51", "halberstadt", "klempner", "app", 1, 1, 0),
    ]  # Quedlinburg lies beyond its 5 km from the plumber: no calls counted there
    assert stats_csv(rows).splitlines()[0] == "week,city,trade,channel,calls,reached,not_reached"
    svg = ElementTree.fromstring(stats_svg(rows))
    bars = svg.findall("{http://www.w3.org/2000/svg}rect")
    assert len(bars) == 4  # two weeks, calls and reached
    result = runner.invoke(args=["roster", "stats", "--from", "2026-12-01", "--to", "2026-12-31"])
    assert result.exit_code == 0, result.output
    assert "2026-W50,halberstadt,klempner,app,2,1,1" in result.stdout


def test_reachability_flag_after_repeated_not_reached(app_context, app):
    good = factories.business(trades=("klempner",), name="Gut erreichbar")
    bad = factories.business(trades=("klempner",), name="Schlecht erreichbar")
    for day in range(1, 6):
        _call(good, f"2026-12-0{day} 10:00", True)
        _call(bad, f"2026-12-0{day} 10:00", day == 1)
    db.session.commit()
    (flagged,) = unreachable_businesses()
    assert (flagged.name, flagged.answers, flagged.not_reached) == ("Schlecht erreichbar", 5, 4)
    app.config["ROSTER_REACHABILITY"] = {"not_reached_share": 0.9}
    try:
        assert unreachable_businesses() == []
    finally:
        app.config.pop("ROSTER_REACHABILITY")
