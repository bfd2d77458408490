"""Planning: shifts, templates, publishing with gap warnings, fill suggestions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.roster.coverage import find_gaps
from backend.roster.models import RosterShift
from backend.roster.planning import (
    PlanningError,
    add_shift,
    move_shift,
    publish_plan,
    remove_shift,
    template_spans,
)
from backend.roster.suggestions import fill_suggestions
from tests import factories
from tests.roster.test_coverage import at, city


def _iso(spans):
    return [(a.isoformat(timespec="minutes"), b.isoformat(timespec="minutes")) for a, b in spans]


def test_add_move_remove_are_audited_and_checked(app_context):
    plumber = factories.business(trades=("klempner",))
    shift = add_shift(plumber, "klempner", at("2026-12-11 18:00"), at("2026-12-14 07:00"),
                      actor="staff:a")  # fmt: skip
    move_shift(shift, at("2026-12-12 08:00"), at("2026-12-14 07:00"), actor="staff:a")
    db.session.commit()
    assert shift.starts_at == at("2026-12-12 08:00")
    with pytest.raises(PlanningError, match="already on duty"):
        add_shift(plumber, "klempner", at("2026-12-13 08:00"), at("2026-12-13 09:00"), actor="x")
    with pytest.raises(PlanningError, match="does not have the trade 'glaser'"):
        add_shift(plumber, "glaser", at("2026-12-19 08:00"), at("2026-12-19 09:00"), actor="x")
    with pytest.raises(PlanningError, match="must end after it starts"):
        add_shift(plumber, "klempner", at("2026-12-19 08:00"), at("2026-12-19 08:00"), actor="x")
    remove_shift(shift, actor="staff:a")
    db.session.commit()
    assert db.session.scalar(select(RosterShift)) is None
    actions = db.session.scalars(
        select(AuditLogEntry.action)
        .where(AuditLogEntry.entity_type == "RosterShift")
        .order_by(AuditLogEntry.id)
    ).all()
    assert actions == ["create", "update", "delete"]
    plumber.active = False
    with pytest.raises(PlanningError, match="Only an active business"):
        add_shift(plumber, "klempner", at("2026-12-19 08:00"), at("2026-12-19 09:00"), actor="x")


def test_templates():
    assert _iso(template_spans("weekends", date(2026, 12, 7), date(2026, 12, 20))) == [
        ("2026-12-11T18:00+01:00", "2026-12-14T07:00+01:00"),
        ("2026-12-18T18:00+01:00", "2026-12-21T07:00+01:00"),
    ]
    # Epiphany is a holiday in Sachsen-Anhalt, not in Lower Saxony.
    st = _iso(template_spans("holidays", date(2027, 1, 1), date(2027, 1, 10), "ST"))
    ni = _iso(template_spans("holidays", date(2027, 1, 1), date(2027, 1, 10), "NI"))
    assert st == [("2026-12-31T18:00+01:00", "2027-01-02T07:00+01:00"),
                  ("2027-01-05T18:00+01:00", "2027-01-07T07:00+01:00")]  # fmt: skip
    assert ni == st[:1]
    nights = _iso(template_spans("nights", date(2027, 3, 22), date(2027, 3, 28)))
    assert nights[0] == ("2027-03-22T18:00+01:00", "2027-03-23T07:00+01:00")
    assert len(nights) == 4
    with pytest.raises(PlanningError, match="Unknown template"):
        template_spans("ostern", date(2027, 1, 1), date(2027, 1, 2))


def test_publish_warns_about_every_gap(app_context):
    city()
    guild = factories.guild()
    publication = publish_plan(guild, date(2026, 12, 12), date(2026, 12, 12), actor="staff:a")
    db.session.commit()
    assert len(publication.gaps) == 10  # nobody at all: every category with trades
    assert publication.record.gap_count == 10
    assert publication.gaps == find_gaps(date(2026, 12, 12), date(2026, 12, 12))


def test_suggestions_longest_without_duty_first_with_rest_and_cap(app_context, app):
    centre = city()
    recent, long_ago, never, busy, inactive = (
        factories.business(trades=("elektrotechniker",), name=name, opening_hours=None,
                           active=name != "E inaktiv")
        for name in ("E kürzlich", "E lange her", "E nie", "E voll", "E inaktiv")
    )  # fmt: skip
    factories.business(trades=("elektrotechniker",), name="E fern", lat=52.5)
    start, end = at("2026-12-19 08:00"), at("2026-12-20 08:00")
    factories.shift(recent, "elektrotechniker", at("2026-12-05 08:00"), at("2026-12-06 08:00"))
    factories.shift(long_ago, "elektrotechniker", at("2026-11-01 08:00"), at("2026-11-02 08:00"))
    factories.shift(busy, "elektrotechniker", at("2026-12-17 08:00"), at("2026-12-17 20:00"))
    names = [s.name for s in fill_suggestions(centre, "strom", start, end)]
    # Never on duty first; "E voll" had duty within the 72 h rest; inactive and far never.
    assert names == ["E nie", "E lange her", "E kürzlich"]
    app.config["ROSTER_GUILD_RULES"] = {"harz-bode": {"max_shifts_per_month": 1}}
    try:
        names = [s.name for s in fill_suggestions(centre, "strom", start, end)]
    finally:
        app.config.pop("ROSTER_GUILD_RULES")
    assert names == ["E nie", "E lange her"]  # "E kürzlich" has its one December duty
    assert inactive.active is False and never.active
    assert fill_suggestions(centre, "strom", start, end)[0].duties_this_month == 0
    assert start + timedelta(days=1) == end


def test_suggestions_skip_withheld_and_overdue_businesses(app_context):
    centre = city()
    fresh = factories.business(trades=("elektrotechniker",), name="E geprüft", opening_hours=None)
    factories.business(trades=("elektrotechniker",), name="E zurückgehalten", opening_hours=None,
                       withheld=True)  # fmt: skip
    factories.business(trades=("elektrotechniker",), name="E überfällig", opening_hours=None,
                       verified_at=at("2024-06-01 10:00"))  # fmt: skip
    start, end = at("2026-12-19 08:00"), at("2026-12-20 08:00")
    assert [s.business_id for s in fill_suggestions(centre, "strom", start, end)] == [fresh.id]
