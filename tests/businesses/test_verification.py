"""Verification: checks, what is due, and overdue businesses withheld from the search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.audit.operations import Actor
from backend.businesses.models import Business
from backend.businesses.verification import (
    due_businesses,
    is_due,
    months_before,
    set_policy,
    verify_business,
    withhold_overdue,
)
from backend.extensions import db
from backend.search.listings import get_listing
from backend.search.operation import SearchRequest, find_help
from tests import factories

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ANNA = Actor("anna@harz-bode.example")
REQUEST = SearchRequest(postcode="38820", emergency="wasser", available="any")


def found_ids() -> list[int]:
    return [hit.business_id for hit in find_help(REQUEST).hits]


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 12, 1, tzinfo=UTC), 12, datetime(2025, 12, 1, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2028, 3, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
    ],
)
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected


def test_a_check_records_who_and_when_and_ends_being_due(app_context):
    business = factories.business(verified_at=NOW - timedelta(days=400))
    assert is_due(business, NOW, 12)
    verify_business(business, actor=ANNA, now=NOW)
    db.session.commit()
    assert (business.verified_at, business.verified_by) == (NOW, "anna@harz-bode.example")
    assert not is_due(business, NOW, 12)
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "verify"))
    assert {change.field for change in entry.changes} == {"verified_at", "verified_by"}


def test_due_lists_the_never_checked_and_the_long_unchecked_first(app_context):
    fresh = factories.business(verified_at=NOW - timedelta(days=30))
    old = factories.business(verified_at=NOW - timedelta(days=500))
    older = factories.business(verified_at=NOW - timedelta(days=900))
    never = factories.business(verified_at=None)
    inactive = factories.business(verified_at=None, active=False)
    due = [row.id for row in due_businesses(fresh.guild_id, NOW, 12)]
    assert fresh.id not in due and inactive.id not in due
    # Never checked counts from creation (today): after the long unchecked ones.
    assert due == [older.id, old.id, never.id]


def test_overdue_businesses_leave_the_search_only_where_the_guild_chose_so(app_context):
    overdue = factories.business(verified_at=NOW - timedelta(days=365 + 100))
    in_grace = factories.business(verified_at=NOW - timedelta(days=365 + 30))
    assert sorted(found_ids()) == sorted([overdue.id, in_grace.id])

    assert withhold_overdue(NOW, 12) == (0, 0)  # the guild has not chosen to withhold
    set_policy(overdue.guild, withhold_overdue=True, grace_days=60, actor=ANNA)
    assert withhold_overdue(NOW, 12) == (1, 0)
    db.session.commit()
    assert found_ids() == [in_grace.id]
    assert get_listing(overdue.id) is None
    assert withhold_overdue(NOW, 12) == (0, 0)  # nothing to do: nothing written

    # A check lists it again at once.
    db.session.expire_all()
    verify_business(db.session.get(Business, overdue.id), actor=ANNA, now=NOW)
    db.session.commit()
    assert sorted(found_ids()) == sorted([overdue.id, in_grace.id])


def test_a_guild_that_stops_withholding_gets_its_businesses_back(app_context):
    overdue = factories.business(verified_at=NOW - timedelta(days=800))
    set_policy(overdue.guild, withhold_overdue=True, grace_days=0, actor=ANNA)
    withhold_overdue(NOW, 12)
    db.session.commit()
    assert found_ids() == []
    set_policy(overdue.guild, withhold_overdue=False, grace_days=0, actor=ANNA)
    assert withhold_overdue(NOW, 12) == (0, 1)
    db.session.commit()
    assert found_ids() == [overdue.id]


def test_another_guilds_businesses_are_not_withheld(app_context):
    mine = factories.business(verified_at=NOW - timedelta(days=800))
    theirs = factories.business(verified_at=NOW - timedelta(days=800))
    theirs.guild = factories.guild("anhalt", "Kreishandwerkerschaft Anhalt")
    db.session.commit()
    set_policy(mine.guild, withhold_overdue=True, grace_days=10, actor=ANNA)
    withhold_overdue(NOW, 12)
    db.session.commit()
    assert found_ids() == [theirs.id]


def test_grace_days_are_bounded(app_context):
    guild = factories.guild()
    with pytest.raises(ValueError):
        set_policy(guild, withhold_overdue=True, grace_days=-1, actor=ANNA)


def test_sweep_command(runner):
    factories.business(verified_at=NOW - timedelta(days=2000))
    result = runner.invoke(args=["businesses", "verification", "sweep"])
    assert result.exit_code == 0, result.output
    assert "Withheld 0 overdue businesses; listed 0 again." in result.output
    result = runner.invoke(args=["businesses", "verification", "due", "--guild", "harz-bode"])
    assert result.exit_code == 0, result.output
    assert "Testbetrieb" in result.output
