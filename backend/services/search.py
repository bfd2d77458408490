"""Find the nearest businesses that can help, in growing rings around the resident.

The cost of a search follows the neighbourhood, not the table:

- Each ring asks the covering index ``(trade_id, lat, lon, business_id)`` for the
  links inside the ring's bounding box but outside the previous ring's box, an
  index-only read; exact distances are computed for these rows only.
- Business rows (name, service radius, hours, "on a roster shift now") are read by
  primary key only for the nearest candidates, a batch at a time, until ``limit``
  hits are found; availability by hours is judged once per distinct hours.
- The full availability window is computed only for the hits.

A ring is final once ``limit`` hits lie within its radius, because every business
not yet seen is farther away. Candidates are visited in (distance, name) order:
every row first seen in a larger ring lies outside the smaller ring's box, so it
is farther than everything visited before. The statements are built once per
shape and reused, so a round trip costs a compiled-cache lookup, not a compilation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Connection, Select, and_, bindparam, or_, select

from backend.extensions import db
from backend.models import Business, BusinessTrade, RosterShift
from backend.models.types import UTCDateTime
from backend.services.availability import (
    Availability,
    HoursSpec,
    Interval,
    describe_availability,
    is_open_by_hours,
)
from backend.services.geo import bounding_box, great_circle_km

# Ring radii in km; the last ring is the largest service radius any business may have.
RING_RADII_KM = (1.0, 3.0, 8.0, 20.0, 50.0, 100.0)
# Shifts that ended this long before the asked instant cannot matter to its availability.
SHIFT_HISTORY = timedelta(days=15)
# Business rows are read in batches of one of these sizes (padded), so few statements exist.
BATCH_SIZES = (16, 32, 64, 128, 256)
# A box that contains nothing: the "previous ring" of the first ring.
_EMPTY_BOX = (1.0, -1.0, 1.0, -1.0)


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


def find_available_businesses(
    query: SearchQuery, *, max_service_radius_km: float, lookahead: timedelta
) -> list[SearchHit]:
    """The nearest businesses for ``query``, sorted by distance then name."""
    if not query.trade_ids:
        return []
    reach = (
        max_service_radius_km
        if query.radius_km is None
        else min(query.radius_km, max_service_radius_km)
    )
    search = _RingSearch(query, db.session.connection(), reach)
    inner = _EMPTY_BOX
    for ring in [r for r in RING_RADII_KM if r < reach] + [reach]:
        box = bounding_box(query.lat, query.lon, ring)
        if search.widen(ring, box, inner):
            break
        inner = box
    shifts = search.shifts([c.business_id for c in search.chosen])
    # Hits without shifts and with the same hours have the same availability.
    by_hours: dict[HoursSpec, Availability] = {}
    hits = []
    for c in search.chosen:
        own = shifts.get(c.business_id)
        if own:
            availability = describe_availability(c.spec, own, query.at, lookahead)
        elif (availability := by_hours.get(c.spec)) is None:
            availability = by_hours[c.spec] = describe_availability(c.spec, (), query.at, lookahead)
        hits.append(SearchHit(c.business_id, c.distance_km, availability))
    return hits


class _RingSearch:
    """The state of one search: links seen, candidates still to visit, hits chosen."""

    def __init__(self, query: SearchQuery, connection: Connection, reach: float) -> None:
        self.query = query
        self.connection = connection
        self.reach = reach
        self.params = {f"trade_{i}": trade_id for i, trade_id in enumerate(query.trade_ids)}
        self.params["at"] = query.at
        self.seen: set[int] = set()
        self.outside: list[tuple[float, int]] = []  # (distance, id) beyond the current ring
        self.chosen: list[_Candidate] = []
        self.specs: dict[tuple, HoursSpec] = {}
        self.open_by_hours: dict[tuple, bool] = {}
        self.visited = 0  # candidates whose business rows were read

    def widen(self, ring_km: float, box: tuple, inner: tuple) -> bool:
        """Visit the candidates within ``ring_km``; True once ``limit`` hits are chosen."""
        lat0, lon0 = self.query.lat, self.query.lon
        rows = self.connection.execute(
            _links_statement(len(self.query.trade_ids)),
            {
                **self.params,
                "min_lat": box[0], "max_lat": box[1], "min_lon": box[2], "max_lon": box[3],
                "inner_min_lat": inner[0], "inner_max_lat": inner[1],
                "inner_min_lon": inner[2], "inner_max_lon": inner[3],
            },
        ).all()  # fmt: skip
        seen, outside, reach = self.seen, self.outside, self.reach
        for business_id, lat, lon in rows:
            if business_id not in seen:  # a business with two asked trades has two links
                seen.add(business_id)
                distance = great_circle_km(lat0, lon0, lat, lon)
                if distance <= reach:
                    outside.append((distance, business_id))
        due = sorted(entry for entry in outside if entry[0] <= ring_km)
        self.outside = [entry for entry in outside if entry[0] > ring_km]
        start = 0
        while start < len(due) and len(self.chosen) < self.query.limit:
            end = min(len(due), start + self._batch_size())
            while end < len(due) and due[end][0] == due[end - 1][0]:
                end += 1  # keep equal distances together: they are ordered by name
            self._visit(due[start:end])
            start = end
        return len(self.chosen) >= self.query.limit

    def _batch_size(self) -> int:
        """How many more candidates to read: enough for the missing hits at the rate so far."""
        missing = self.query.limit - len(self.chosen)
        # Before any evidence, assume every other candidate is a hit.
        rate = (len(self.chosen) + 1) / (self.visited + 2)
        return max(BATCH_SIZES[0], min(BATCH_SIZES[-1], round(missing / max(rate, 0.05) * 1.25)))

    def _visit(self, batch: list[tuple[float, int]]) -> None:
        """Read the businesses of ``batch`` and choose the listable ones in order."""
        self.visited += len(batch)
        details = {}
        for size_start in range(0, len(batch), BATCH_SIZES[-1]):
            ids = [
                business_id for _, business_id in batch[size_start : size_start + BATCH_SIZES[-1]]
            ]
            size = next(size for size in BATCH_SIZES if size >= len(ids))
            for row in self.connection.execute(
                _business_statement(len(self.query.trade_ids), size),
                {**self.params, **_padded_ids(ids, size)},
            ):
                details[row[0]] = tuple(row)
        candidates = []
        for distance, business_id in batch:
            row = details.get(business_id)
            if row is None or distance > row[2]:  # inactive, or out of its service radius
                continue
            # (id, name, radius, land, opening hours, emergency hours, on duty)
            candidates.append((distance, row[1], row[6], business_id, row[3:6]))
        candidates.sort(key=lambda c: (c[0], c[1]))
        for distance, name, on_duty, business_id, hours in candidates:
            if self.query.only_available and not (on_duty or self._open_by_hours(hours)):
                continue
            self.chosen.append(_Candidate(business_id, name, distance, self._spec(hours)))
            if len(self.chosen) == self.query.limit:
                return

    def _spec(self, hours: tuple[str, str | None, str | None]) -> HoursSpec:
        """One HoursSpec per distinct (Land, opening, emergency) in this search."""
        spec = self.specs.get(hours)
        if spec is None:
            spec = self.specs[hours] = HoursSpec(*hours)
        return spec

    def _open_by_hours(self, hours: tuple[str, str | None, str | None]) -> bool:
        verdict = self.open_by_hours.get(hours)
        if verdict is None:
            verdict = self.open_by_hours[hours] = is_open_by_hours(self._spec(hours), self.query.at)
        return verdict

    def shifts(self, business_ids: list[int]) -> dict[int, list[Interval]]:
        """Roster shifts of these businesses (the hits) for the asked trades."""
        if not business_ids:
            return {}
        size = next(size for size in BATCH_SIZES if size >= len(business_ids))
        params = _padded_ids(business_ids, size)
        params["since"] = self.query.at - SHIFT_HISTORY
        rows = self.connection.execute(_shift_statement(size), params)
        trades = set(self.query.trade_ids)
        result: dict[int, list[Interval]] = defaultdict(list)
        for business_id, trade_id, starts_at, ends_at in rows:
            if trade_id in trades:
                result[business_id].append((starts_at, ends_at))
        return result


def _padded_ids(ids: list[int], size: int) -> dict[str, object]:
    """Parameters ``id_0`` .. ``id_{size-1}``: the ids, then -1 (no business has it)."""
    return {f"id_{i}": ids[i] if i < len(ids) else -1 for i in range(size)}


def _trades(trade_count: int) -> list:
    return [bindparam(f"trade_{i}") for i in range(trade_count)]


@lru_cache(maxsize=16)
def _links_statement(trade_count: int) -> Select:
    """Links of the asked trades in the box but not in the inner box: index only."""
    return select(BusinessTrade.business_id, BusinessTrade.lat, BusinessTrade.lon).where(
        BusinessTrade.trade_id.in_(_trades(trade_count)),
        BusinessTrade.lat.between(bindparam("min_lat"), bindparam("max_lat")),
        BusinessTrade.lon.between(bindparam("min_lon"), bindparam("max_lon")),
        ~and_(
            BusinessTrade.lat.between(bindparam("inner_min_lat"), bindparam("inner_max_lat")),
            BusinessTrade.lon.between(bindparam("inner_min_lon"), bindparam("inner_max_lon")),
        ),
    )


@lru_cache(maxsize=64)
def _business_statement(trade_count: int, size: int) -> Select:
    """Active businesses by id, with whether a roster shift for an asked trade covers ``at``.

    One EXISTS per trade, each an equality on (business_id, trade_id) and a range on
    starts_at: SQLite 3.40 with ANALYZE statistics returns rows outside the range
    for ``trade_id IN (...)`` followed by a range on the next index column.
    """
    at = bindparam("at", type_=UTCDateTime())
    on_duty = or_(
        *(
            select(RosterShift.id)
            .where(
                RosterShift.business_id == Business.id,
                RosterShift.trade_id == trade,
                RosterShift.starts_at <= at,
                RosterShift.ends_at > at,
            )
            .exists()
            for trade in _trades(trade_count)
        )
    ).label("on_duty")
    return select(
        Business.id, Business.name, Business.service_radius_km, Business.land,
        Business.opening_hours, Business.emergency_hours, on_duty,
    ).where(
        Business.id.in_([bindparam(f"id_{i}") for i in range(size)]),
        Business.active.is_(True),
    )  # fmt: skip


@lru_cache(maxsize=16)
def _shift_statement(size: int) -> Select:
    """Shifts of up to ``size`` businesses (ids padded), ending after ``since``.

    Filtered by trade in Python, for the reason given in _business_statement. Fixed
    bind parameters instead of an expanding IN: the expansion costs more than the query.
    """
    return select(
        RosterShift.business_id, RosterShift.trade_id, RosterShift.starts_at, RosterShift.ends_at
    ).where(
        RosterShift.business_id.in_([bindparam(f"id_{i}") for i in range(size)]),
        RosterShift.ends_at > bindparam("since", type_=UTCDateTime()),
    )
