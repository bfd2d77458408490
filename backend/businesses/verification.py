"""Verification: guild staff vouch that a business's data are right ("checked today").

A check records who and when (``verified_at``, ``verified_by``; Open Referral HSDS calls
them ``assured_date`` and ``assurer``). A business not checked for ``due_months``
(``VERIFICATION_DUE_MONTHS``, default 12) is *due*; one never checked counts from its
creation. A guild may choose (:class:`~backend.businesses.models.VerificationPolicy`)
that businesses overdue by a further grace period leave the public listing until they
are checked: :func:`withhold_overdue` sets their ``withheld`` flag, which the search
reads through ``Business.listed`` (and whose write moves the search data version on).
Run it daily (``flask businesses verification sweep``); a check clears the flag at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from backend.audit.operations import Actor, record_change
from backend.businesses.models import Business, VerificationPolicy
from backend.extensions import db
from backend.organisations.models import GuildAssociation

DEFAULT_DUE_MONTHS = 12
DEFAULT_GRACE_DAYS = 90


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall time ``months`` calendar months earlier (the 31st becomes the last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1


def last_checked() -> ColumnElement:
    """SQL: when the business was last checked, or created if never."""
    return func.coalesce(Business.verified_at, Business.created_at)


def due_clause(now: datetime, due_months: int) -> ColumnElement[bool]:
    """SQL: the business is due for a check at ``now``."""
    return or_(
        Business.verified_at.is_(None), Business.verified_at < months_before(now, due_months)
    )


def is_due(business: Business, now: datetime, due_months: int) -> bool:
    """Whether ``business`` is due for a check at ``now`` (the Python twin of due_clause)."""
    return business.verified_at is None or business.verified_at < months_before(now, due_months)


def verify_business(business: Business, *, actor: Actor, now: datetime) -> None:
    """Record a check of the business by ``actor`` at ``now``; it is listed again if withheld."""
    changes = {
        "verified_at": (business.verified_at, now),
        "verified_by": (business.verified_by, actor.name),
    }
    if business.withheld:
        changes["withheld"] = (True, False)
    business.verified_at, business.verified_by, business.withheld = now, actor.name, False
    db.session.flush()
    record_change(actor, "verify", business, {"version": business.version}, changes=changes)


def policy_of(guild: GuildAssociation) -> VerificationPolicy:
    """The guild's policy (not withholding, 90 days' grace until it chooses otherwise)."""
    policy = db.session.get(VerificationPolicy, guild.id)
    if policy is None:
        policy = VerificationPolicy(
            guild_id=guild.id, withhold_overdue=False, grace_days=DEFAULT_GRACE_DAYS
        )
    return policy


def set_policy(
    guild: GuildAssociation, *, withhold_overdue: bool, grace_days: int, actor: Actor
) -> VerificationPolicy:
    """Choose whether overdue businesses leave the listing after ``grace_days`` (0..730)."""
    if not 0 <= grace_days <= 730:
        raise ValueError("grace_days must lie between 0 and 730")
    policy = policy_of(guild)
    changes = {}
    if policy.withhold_overdue != withhold_overdue:
        changes["withhold_overdue"] = (policy.withhold_overdue, withhold_overdue)
    if policy.grace_days != grace_days:
        changes["grace_days"] = (policy.grace_days, grace_days)
    policy.withhold_overdue, policy.grace_days = withhold_overdue, grace_days
    db.session.add(policy)
    db.session.flush()
    if changes:
        record_change(actor, "verification_policy", guild, {}, changes=changes)
    return policy


def withhold_overdue(now: datetime, due_months: int) -> tuple[int, int]:
    """Withhold overdue businesses of withholding guilds; list again the others.

    Returns (newly withheld, listed again). Two UPDATE statements; only rows whose flag
    changes are written, so a sweep with nothing to do leaves the search data alone.
    """
    policies = {
        policy.guild_id: policy
        for policy in db.session.scalars(
            select(VerificationPolicy).where(VerificationPolicy.withhold_overdue.is_(True))
        )
    }
    overdue = [
        and_(
            Business.guild_id == guild_id,
            last_checked() < months_before(now, due_months) - timedelta(days=policy.grace_days),
        )
        for guild_id, policy in policies.items()
    ]
    should = or_(*overdue) if overdue else None
    withheld = released = 0
    if should is not None:
        withheld = db.session.execute(
            update(Business).where(Business.withheld.is_(False), should).values(withheld=True),
            execution_options={"synchronize_session": False},
        ).rowcount
    release = update(Business).where(Business.withheld.is_(True))
    if should is not None:
        release = release.where(~should)
    released = db.session.execute(
        release.values(withheld=False), execution_options={"synchronize_session": False}
    ).rowcount
    if withheld or released:
        record_change(
            "system", "withhold_overdue", "Business", {"withheld": withheld, "released": released}
        )
    return withheld, released


def due_businesses(guild_id: int, now: datetime, due_months: int, limit: int = 500) -> list:
    """The guild's active businesses due for a check, longest unchecked first."""
    return list(
        db.session.execute(
            select(Business.id, Business.ref, Business.name, Business.city, Business.verified_at)
            .where(Business.guild_id == guild_id, Business.active.is_(True))
            .where(due_clause(now, due_months))
            .order_by(last_checked(), Business.id)
            .limit(limit)
        )
    )
