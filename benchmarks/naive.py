"""The baseline: a naive full scan with geopy over every business, per query.

All rows are read once into Python lists first (not timed). Each query then
walks every business, computes ``geopy.distance.great_circle`` for each one with
an asked trade, filters by service radius and availability (the same compiled
hours as the search, so the comparison isolates the search strategy), sorts,
takes the first ``limit`` and describes their availability from every open
interval of the whole look-ahead (the search takes shortcuts there). The
answers must equal the search's, to the last field.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from geopy.distance import great_circle
from sqlalchemy import select

from backend.businesses.models import Business, BusinessTrade
from backend.extensions import db
from backend.hours import available_window, compile_hours, merge_intervals
from backend.hours.availability import (
    Availability,
    HoursSpec,
    Interval,
    is_open_by_hours,
    shift_covers,
)
from backend.roster.models import RosterShift
from backend.search.nearest import SearchHit, SearchQuery


@dataclass
class Table:
    """Every business as parallel lists, plus trades and shifts by business."""

    ids: list[int]
    names: list[str]
    points: list[tuple[float, float]]
    radii: list[float]
    specs: list[HoursSpec]
    active: list[bool]
    trades: list[frozenset[int]]
    shifts: dict[tuple[int, int], list[Interval]]


def load_table() -> Table:
    """Read all businesses, trade links and roster shifts (needs an app context)."""
    trades: dict[int, set[int]] = defaultdict(set)
    for business_id, trade_id in db.session.execute(
        select(BusinessTrade.business_id, BusinessTrade.trade_id)
    ):
        trades[business_id].add(trade_id)
    shifts: dict[tuple[int, int], list[Interval]] = defaultdict(list)
    shift_rows = db.session.execute(
        select(RosterShift.business_id, RosterShift.trade_id, RosterShift.starts_at).add_columns(
            RosterShift.ends_at
        )
    )
    for business_id, trade_id, starts_at, ends_at in shift_rows:
        shifts[business_id, trade_id].append((starts_at, ends_at))
    table = Table([], [], [], [], [], [], [], dict(shifts))
    rows = db.session.execute(
        select(
            Business.id, Business.name, Business.lat, Business.lon, Business.service_radius_km,
            Business.land, Business.opening_hours, Business.emergency_hours, Business.active,
        ).order_by(Business.id)
    )  # fmt: skip
    for business_id, name, lat, lon, radius, land, opening, emergency, active in rows:
        table.ids.append(business_id)
        table.names.append(name)
        table.points.append((lat, lon))
        table.radii.append(radius)
        table.specs.append(HoursSpec(land, opening, emergency))
        table.active.append(active)
        table.trades.append(frozenset(trades.get(business_id, ())))
    db.session.remove()
    return table


def naive_search(table: Table, query: SearchQuery, lookahead: timedelta) -> list[SearchHit]:
    """What :func:`find_available_businesses` answers, by brute force."""
    wanted = frozenset(query.trade_ids)
    origin = (query.lat, query.lon)
    listed = []
    for i, business_id in enumerate(table.ids):
        if not table.active[i] or table.trades[i].isdisjoint(wanted):
            continue
        distance = great_circle(origin, table.points[i]).km
        if distance > table.radii[i] or (
            query.radius_km is not None and distance > query.radius_km
        ):
            continue
        if query.only_available:
            shifts = _shifts(table, business_id, wanted)
            # Uncached: the reference judges every business afresh.
            open_now = is_open_by_hours.__wrapped__(table.specs[i], query.at)
            if not (open_now or shift_covers(shifts, query.at)):
                continue
        listed.append((distance, table.names[i], business_id, i))
    listed.sort()
    return [
        SearchHit(
            business_id,
            distance,
            full_window_availability(
                table.specs[i], _shifts(table, business_id, wanted), query.at, lookahead
            ),
        )
        for distance, _, business_id, i in listed[: query.limit]
    ]


def full_window_availability(
    spec: HoursSpec, shifts: list[Interval], at: datetime, lookahead: timedelta
) -> Availability:
    """Availability from all open intervals of the whole look-ahead, without shortcuts."""
    at = at.astimezone(UTC)  # instants, not wall-clock arithmetic
    horizon = at + lookahead
    window_start = at - timedelta(days=1)
    intervals = [s for s in shifts if s[1] > window_start and s[0] < horizon]
    for expr in (spec.opening_hours, spec.emergency_hours):
        if expr:
            intervals.extend(compile_hours(expr, spec.land).open_intervals(window_start, horizon))
    available, until, next_start = available_window(at, merge_intervals(intervals))
    if until is not None and until >= horizon:
        until = None
    return Availability(
        available=available,
        available_until=until if available else None,
        next_available=None if available else next_start,
        on_duty=shift_covers(shifts, at),
    )


def _shifts(table: Table, business_id: int, wanted: frozenset[int]) -> list[Interval]:
    return [s for trade_id in wanted for s in table.shifts.get((business_id, trade_id), ())]


def same_answer(got: list[SearchHit], expected: list[SearchHit]) -> bool:
    """True when both list the same businesses in the same order with equal details."""
    return len(got) == len(expected) and all(
        a.business_id == b.business_id
        and abs(a.distance_km - b.distance_km) < 1e-9
        and a.availability == b.availability
        for a, b in zip(got, expected, strict=True)
    )
