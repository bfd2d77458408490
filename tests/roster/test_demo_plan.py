"""The demo region's plan leaves a gap on the coming weekend that a newcomer can close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.businesses.models import Business
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.models import PartnerCity
from backend.roster.coverage import find_gaps
from backend.roster.planning import add_shift
from backend.roster.suggestions import fill_suggestions


def test_the_coming_weekend_has_a_gap_that_a_suggestion_closes(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    cities = {c.slug: c for c in db.session.scalars(select(PartnerCity))}
    assert {c.coverage_km for c in cities.values()} == {16.0}  # towns of 20,000-80,000
    today = datetime.now(UTC).astimezone(BERLIN).date()
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    gaps = [g for g in find_gaps(friday, friday + timedelta(days=3)) if g.emergency == "strom"]
    assert gaps, "the demo plan should leave the electricians' weekend open"
    gap = max(gaps, key=lambda g: g.minutes)
    (suggestion, *_) = fill_suggestions(cities[gap.city], "strom", gap.start, gap.end)
    business = db.session.get(Business, suggestion.business_id)
    add_shift(business, suggestion.trade, gap.start, gap.end, actor="newcomer")
    db.session.commit()
    left = find_gaps(friday, friday + timedelta(days=3), gap.city)
    strom = [g for g in left if g.emergency == "strom"]
    assert not [g for g in strom if g.start < gap.end and g.end > gap.start]
