"""``flask seed-demo``: the fictional demo region."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import click
import pytest
from sqlalchemy import func, select

from backend.businesses.models import Business, BusinessTrade
from backend.cli.demo import _require_clean
from backend.extensions import db
from backend.imports.report import ImportReport, RowError
from backend.organisations.models import PartnerCity, StaffUser
from backend.reference.models import Trade
from backend.roster.models import RosterShift


def test_seed_demo_builds_a_realistic_fictional_region(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "password (shown once)" in result.output

    businesses = db.session.scalars(select(Business)).all()
    assert len(businesses) == 300
    assert all(b.name.endswith("(Demo)") for b in businesses)
    assert all(b.land in {"ST", "NI"} for b in businesses)
    assert any(b.land == "NI" for b in businesses)  # Bad Harzburg, other holidays
    assert sum(b.emergency_hours == "24/7" for b in businesses) >= 20
    traded = set(db.session.scalars(select(Trade.slug).join(BusinessTrade).distinct()))
    assert traded == set(db.session.scalars(select(Trade.slug)))
    towns = {b.city for b in businesses}
    assert {"Halberstadt", "Quedlinburg", "Staßfurt"} <= towns and len(towns) > 15

    cities = {c.slug: c for c in db.session.scalars(select(PartnerCity))}
    assert set(cities) == {"halberstadt", "quedlinburg", "stassfurt"}
    assert abs(cities["quedlinburg"].lat - 51.79) < 0.02
    staff = {u.email: u for u in db.session.scalars(select(StaffUser))}
    assert staff["admin@schnellruf.example"].role == "admin"
    assert staff["innung@schnellruf.example"].guild.slug == "harz-bode"
    assert "Guild staff login: innung@schnellruf.example" in result.output

    shifts = db.session.scalars(select(RosterShift)).all()
    assert shifts and all(s.starts_at > datetime.now(UTC) - timedelta(days=7) for s in shifts)
    berlin = ZoneInfo("Europe/Berlin")
    for shift in shifts:  # Friday 18:00 to Monday 07:00 local time, whatever DST does
        start, end = shift.starts_at.astimezone(berlin), shift.ends_at.astimezone(berlin)
        assert (start.weekday(), start.hour, end.weekday(), end.hour) == (4, 18, 0, 7)

    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert db.session.scalar(select(func.count(Business.id))) == 300


def test_demo_region_answers_a_night_emergency_on_the_weekend(runner, client):
    runner.invoke(args=["seed-demo"])
    first_shift = db.session.scalars(select(RosterShift).order_by(RosterShift.starts_at)).first()
    saturday_night = (first_shift.starts_at + timedelta(hours=30)).isoformat()
    body = client.get(
        "/api/v1/search",
        query_string={"postcode": "38820", "emergency": "wasser", "at": saturday_night},
    ).json
    assert body["count"] > 0
    assert all(result["available"] for result in body["results"])


def test_bad_generated_rows_stop_the_seeding_loudly():
    report = ImportReport(errors=[RowError(5, "phone", "x", "not a phone number", "keine Nummer")])
    with pytest.raises(click.ClickException, match="line 5, phone: not a phone number"):
        _require_clean(report, "Businesses")
