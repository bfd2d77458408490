"""Find the nearest businesses that can help, in growing rings around the resident.

The cost of a search follows the neighbourhood, not the table: each ring asks the
covering index ``(trade_id, lat, lon, business_id)`` for one bounding box, exact
distances are computed only for the rows inside it, and availability only for
the nearest candidates until ``limit`` are found. A ring is final once ``limit``
hits lie within its radius, because every business not yet seen is farther away.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.models import Business, BusinessTrade, RosterShift
from backend.services.availability import (
    Availability,
    HoursSpec,
    Interval,
    describe_availability,
    is_open_by_hours,
    shift_covers,
)
from backend.services.geo import bounding_box, great_circle_km

# Ring radii in km; the last ring is the largest service radius any business may have.
RING_RADII_KM = (2.0, 5.0, 12.0, 25.0, 50.0, 100.0)


@dataclass(frozen=True)
class SearchQuery:
    """A validated search: plain values, no request objects."""

    lat: float
    lon: float
    trade_ids: tuple[int, ...]
    at: datetime
    only_available: bool = True
    limit: int = 10
    radius_km: float | None = None


@dataclass(frozen=True)
class SearchHit:
    """One business in the answer, nearest first."""

    business_id: int
    distance_km: float
    availability: Availability


@dataclass
class _Candidate:
    business_id: int
    name: str
    distance_km: float
    spec: HoursSpec
    available: bool | None = None


def find_available_businesses(
    query: SearchQuery, *, max_service_radius_km: float, lookahead: timedelta
) -> list[SearchHit]:
    """The nearest businesses for ``query``, sorted by distance then name."""
    reach = (
        max_service_radius_km
        if query.radius_km is None
        else min(query.radius_km, max_service_radius_km)
    )
    radii = [r for r in RING_RADII_KM if r < reach] + [reach]
    seen: set[int] = set()
    listable: list[_Candidate] = []
    shifts: dict[int, list[Interval]] = {}
    chosen: list[_Candidate] = []
    for ring in radii:
        new = _fetch_ring(query, ring, seen)
        listable.extend(new)
        shifts.update(_shifts_for(query, [c.business_id for c in new]))
        chosen = _select(query, listable, ring, shifts)
        if len(chosen) >= query.limit:
            break
    return [
        SearchHit(c.business_id, c.distance_km, _describe(c, shifts, query, lookahead))
        for c in chosen[: query.limit]
    ]


def _fetch_ring(query: SearchQuery, ring_km: float, seen: set[int]) -> list[_Candidate]:
    """The businesses first seen in this ring's bounding box that serve the resident's place.

    A business outside its own service radius is never a candidate, however far
    the rings grow, so it is only marked as seen.
    """
    min_lat, max_lat, min_lon, max_lon = bounding_box(query.lat, query.lon, ring_km)
    in_box = (
        select(BusinessTrade.business_id)
        .where(
            BusinessTrade.trade_id.in_(query.trade_ids),
            BusinessTrade.lat.between(min_lat, max_lat),
            BusinessTrade.lon.between(min_lon, max_lon),
        )
        .distinct()
    )
    rows = db.session.execute(
        select(
            Business.id,
            Business.name,
            Business.lat,
            Business.lon,
            Business.service_radius_km,
            Business.land,
            Business.opening_hours,
            Business.emergency_hours,
        ).where(Business.id.in_(in_box), Business.active.is_(True))
    )
    new = []
    for business_id, name, lat, lon, service_radius, land, opening, emergency in rows:
        if business_id in seen:
            continue
        seen.add(business_id)
        distance = great_circle_km(query.lat, query.lon, lat, lon)
        if distance <= service_radius:
            new.append(_Candidate(business_id, name, distance, HoursSpec(land, opening, emergency)))
    return new


def _shifts_for(query: SearchQuery, business_ids: list[int]) -> dict[int, list[Interval]]:
    """Roster shifts of these businesses for the asked trades, near ``query.at``."""
    if not business_ids:
        return {}
    horizon_start = query.at - timedelta(days=15)
    result: dict[int, list[Interval]] = defaultdict(list)
    for chunk_start in range(0, len(business_ids), 500):
        chunk = business_ids[chunk_start : chunk_start + 500]
        rows = db.session.execute(
            select(RosterShift.business_id, RosterShift.starts_at, RosterShift.ends_at).where(
                RosterShift.business_id.in_(chunk),
                RosterShift.trade_id.in_(query.trade_ids),
                RosterShift.ends_at > horizon_start,
            )
        )
        for business_id, starts_at, ends_at in rows:
            result[business_id].append((starts_at, ends_at))
    return result


def _select(
    query: SearchQuery,
    candidates: list[_Candidate],
    ring_km: float,
    shifts: dict[int, list[Interval]],
) -> list[_Candidate]:
    """The first ``limit`` listable candidates within ``ring_km``, nearest first."""
    within = sorted(
        (c for c in candidates if c.distance_km <= ring_km), key=lambda c: (c.distance_km, c.name)
    )
    if not query.only_available:
        return within[: query.limit]
    chosen = []
    for candidate in within:
        if candidate.available is None:
            candidate.available = is_open_by_hours(candidate.spec, query.at) or shift_covers(
                shifts.get(candidate.business_id, ()), query.at
            )
        if candidate.available:
            chosen.append(candidate)
            if len(chosen) == query.limit:
                break
    return chosen


def _describe(
    candidate: _Candidate,
    shifts: dict[int, list[Interval]],
    query: SearchQuery,
    lookahead: timedelta,
) -> Availability:
    return describe_availability(
        candidate.spec, shifts.get(candidate.business_id, ()), query.at, lookahead
    )
