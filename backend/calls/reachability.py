"""Reachability: which businesses residents keep answering "not reached" for.

The one rule (thresholds ``ROSTER_REACHABILITY``): of a business's last ``last_answers``
answers to "Haben Sie jemanden erreicht?", at least ``min_answers`` exist and at least
``not_reached_share`` of them say "not reached". The console's reachability page and
business list filter, and the search's order for guilds that chose it
(``GuildAssociation.demote_unreachable``), all ask :func:`unreachable_businesses`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from sqlalchemy import Select, bindparam, select

from backend.audit.operations import Actor, record_change
from backend.businesses.models import Business
from backend.calls.models import CallEvent
from backend.extensions import db
from backend.organisations.models import GuildAssociation
from backend.search.data_version import bump_search_data_version
from backend.search.statements import rows_for_ids

DEFAULT_REACHABILITY = {"last_answers": 10, "min_answers": 3, "not_reached_share": 0.5}


@dataclass(frozen=True)
class Unreachable:
    """A business whose recent calls were answered "not reached" too often."""

    business_id: int
    name: str
    phone: str
    answers: int
    not_reached: int


def reachability_rules() -> dict[str, float]:
    """The configured thresholds (``ROSTER_REACHABILITY``) over the defaults."""
    return {**DEFAULT_REACHABILITY, **current_app.config.get("ROSTER_REACHABILITY", {})}


def unreachable_businesses(
    guild_id: int | None = None, business_ids: Collection[int] | None = None
) -> list[Unreachable]:
    """Businesses (of a guild, or among some) whose last answers were too often "not reached"."""
    rules = reachability_rules()
    statement = (
        select(CallEvent.business_id, CallEvent.reached)
        .where(CallEvent.reached.is_not(None))
        .order_by(CallEvent.business_id, CallEvent.at.desc(), CallEvent.id.desc())
    )
    if guild_id is not None:
        statement = statement.join(Business).where(Business.guild_id == guild_id)
    if business_ids is not None:
        statement = statement.where(CallEvent.business_id.in_(list(business_ids)))
    answers: dict[int, list[bool]] = {}
    for business_id, reached in db.session.execute(statement):
        recent = answers.setdefault(business_id, [])
        if len(recent) < rules["last_answers"]:
            recent.append(reached)
    flagged = {
        business_id: recent
        for business_id, recent in answers.items()
        if len(recent) >= rules["min_answers"]
        and recent.count(False) / len(recent) >= rules["not_reached_share"]
    }
    if not flagged:
        return []
    rows = db.session.execute(
        select(Business.id, Business.name, Business.phone).where(Business.id.in_(flagged))
    )
    return sorted(
        (Unreachable(bid, name, phone, len(flagged[bid]), flagged[bid].count(False))
         for bid, name, phone in rows),
        key=lambda u: (-u.not_reached / u.answers, u.name),
    )  # fmt: skip


def demoted_among(business_ids: Collection[int]) -> set[int] | None:
    """Those of ``business_ids`` the search lists last: hard to reach, of a guild that chose so.

    None when none of them belongs to such a guild: their order then depends on nothing
    but the searched data (an empty set means the call answers were judged, and may
    change the order with the next answer).
    """
    if not business_ids:
        return None
    # Asked on every search: a statement compiled once, on the cursor (see rows_for_ids).
    chosen = [
        row[0] for row in rows_for_ids(db.session.connection(), _demoting, list(business_ids))
    ]
    if not chosen:
        return None
    return {found.business_id for found in unreachable_businesses(business_ids=chosen)}


@lru_cache(maxsize=8)
def _demoting(size: int) -> Select:
    """Which of ``size`` businesses (``id_0`` ..) belong to a guild that demotes."""
    return (
        select(Business.id)
        .join(GuildAssociation, GuildAssociation.id == Business.guild_id)
        .where(
            Business.id.in_([bindparam(f"id_{i}") for i in range(size)]),
            GuildAssociation.demote_unreachable.is_(True),
        )
    )


def set_demote_unreachable(guild: GuildAssociation, demote: bool, *, actor: str | Actor) -> bool:
    """Choose whether the guild's hard-to-reach businesses are listed after the others."""
    if guild.demote_unreachable != demote:
        changes = {"demote_unreachable": (guild.demote_unreachable, demote)}
        record_change(actor, "guild_settings", guild, {}, changes=changes)
        guild.demote_unreachable = demote
        # Answers cached before the choice listed in the old order: the version moves on.
        bump_search_data_version()
        db.session.flush()
    return demote
