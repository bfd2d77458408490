"""Swaps: a business asks another to take one of its shifts; the other accepts by link.

Once accepted, the swap is approved at once when coverage does not get worse (no
partner city gains a minute of gap in any category, judged over the shift's span),
otherwise it waits for staff. Every step is audited. The link carries a secret token
of which only the SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import select

from backend.audit.operations import Actor, record_change
from backend.businesses.models import Business
from backend.extensions import db
from backend.reference.catalogue import catalogue
from backend.roster.coverage import (
    Provider,
    covered_intervals,
    gaps_in,
    partner_cities,
    providers_near,
)
from backend.roster.models import RosterShift, RosterSwap
from backend.roster.planning import PlanningError, actor_name, check_shift, trade_slug_of

# A swap's status in German (staff messages, the console).
STATUS_DE = {"asked": "angefragt", "accepted": "angenommen", "approved": "freigegeben",
             "rejected": "abgelehnt"}  # fmt: skip


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ask_swap(shift: RosterShift, to_business: Business, *, actor: str) -> tuple[RosterSwap, str]:
    """Ask ``to_business`` to take ``shift``; returns the swap and the link's token."""
    if to_business.id == shift.business_id:
        raise PlanningError(
            "A business cannot swap a shift with itself.",
            "Ein Betrieb kann eine Schicht nicht mit sich selbst tauschen.",
        )
    check_shift(to_business, trade_slug_of(shift), shift.starts_at, shift.ends_at)
    token = secrets.token_urlsafe(24)
    swap = RosterSwap(
        shift=shift, from_business_id=shift.business_id, to_business_id=to_business.id,
        token_sha256=_digest(token), status="asked",
    )  # fmt: skip
    db.session.add(swap)
    db.session.flush()
    record_change(actor, "swap-ask", swap, {"shift_id": shift.id, "to": to_business.id})
    return swap, token


def swap_for_token(token: str) -> RosterSwap | None:
    """The swap whose link carries ``token``."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(RosterSwap).where(RosterSwap.token_sha256 == _digest(token)))


def accept_swap(swap: RosterSwap, *, actor: str) -> RosterSwap:
    """The asked business accepts; approved at once when coverage does not get worse."""
    if swap.status != "asked":
        raise PlanningError(f"This swap is already {swap.status}.",
                            f"Dieser Tausch ist schon {STATUS_DE[swap.status]}.")  # fmt: skip
    to_business = db.session.get(Business, swap.to_business_id)
    check_shift(to_business, trade_slug_of(swap.shift), swap.shift.starts_at, swap.shift.ends_at)
    swap.status, swap.accepted_at = "accepted", datetime.now(UTC)
    record_change(actor, "swap-accept", swap, {"shift_id": swap.shift_id})
    if not coverage_gets_worse(swap.shift, to_business):
        _carry_out(swap, actor="auto: coverage not worse", automatic=True)
    db.session.flush()
    return swap


def approve_swap(swap: RosterSwap, *, actor: str | Actor) -> RosterSwap:
    """Staff approve an accepted swap."""
    if swap.status != "accepted":
        raise PlanningError(
            f"Only an accepted swap can be approved; this one is {swap.status}.",
            f"Nur ein angenommener Tausch kann freigegeben werden; dieser ist "
            f"{STATUS_DE[swap.status]}.",
        )
    _carry_out(swap, actor=actor, automatic=False)
    db.session.flush()
    return swap


def reject_swap(swap: RosterSwap, *, actor: str | Actor) -> RosterSwap:
    """Staff or the asked business turn the swap down; the shift stays as it was."""
    if swap.status not in ("asked", "accepted"):
        raise PlanningError(f"This swap is already {swap.status}.",
                            f"Dieser Tausch ist schon {STATUS_DE[swap.status]}.")  # fmt: skip
    swap.status, swap.decided_at, swap.decided_by = "rejected", datetime.now(UTC), actor_name(actor)
    record_change(actor, "swap-reject", swap, {"shift_id": swap.shift_id})
    db.session.flush()
    return swap


def _carry_out(swap: RosterSwap, *, actor: str | Actor, automatic: bool) -> None:
    shift = swap.shift
    shift.business_id = swap.to_business_id
    swap.status, swap.decided_at, swap.decided_by = "approved", datetime.now(UTC), actor_name(actor)
    swap.auto_approved = automatic
    record_change(actor, "swap-approve", swap, {
        "shift_id": shift.id, "from": swap.from_business_id, "to": swap.to_business_id,
        "automatic": automatic,
    })  # fmt: skip


def coverage_gets_worse(shift: RosterShift, to_business: Business) -> bool:
    """True when some city gains gap minutes if ``to_business`` takes ``shift``."""
    start, end = shift.starts_at, shift.ends_at
    for city in partner_cities():
        providers = providers_near(city, start, end)
        moved = _with_shift_moved(providers, shift, to_business)
        for category in catalogue().emergencies:
            wanted = {trade.id for trade in category.trades}
            if shift.trade_id not in wanted:
                continue
            before = _gap_minutes(providers, wanted, start, end)
            if _gap_minutes(moved, wanted, start, end) > before:
                return True
    return False


def _with_shift_moved(
    providers: list[Provider], shift: RosterShift, to_business: Business
) -> list[Provider]:
    """``providers`` as if ``to_business`` had ``shift`` instead of its holder."""
    entry = (shift.trade_id, shift.starts_at, shift.ends_at)
    moved = []
    for provider in providers:
        shifts = provider.shifts
        if provider.business_id == shift.business_id:
            shifts = tuple(s for s in shifts if s != entry)
        if provider.business_id == to_business.id:
            shifts = (*shifts, entry)
        moved.append(Provider(provider.business_id, provider.distance_km, provider.spec,
                              provider.trade_ids, shifts))  # fmt: skip
    return moved


def _gap_minutes(providers: list[Provider], wanted: set[int], start, end) -> float:
    covered = covered_intervals(providers, wanted, start, end)
    return (
        sum(
            (high.astimezone(UTC) - low.astimezone(UTC)).total_seconds()
            for low, high in gaps_in(covered, start, end)
        )
        / 60
    )
