"""Find the nearest businesses that can help, in growing rings around the resident.

A process answers from its in-memory index (:mod:`.search_index`) while that is
current, and from the database otherwise; both visit the same rings in the same
order, so both give the same answer. On the database, the cost of a search follows
the neighbourhood, not the table:

- Each ring asks the covering index ``(trade_id, lat_cell(lat), lon, lat, business_id)``
  for the links inside the ring's bounding box but outside the previous ring's box,
  an index-only read of one short lon range per latitude band; exact distances are
  computed for these rows only.
- Business rows (name, service radius, hours) and their recent roster shifts are
  read by primary key only for the nearest candidates, a batch at a time, until
  ``limit`` hits are found; availability by hours is judged once per distinct hours.
- The full availability window is computed only for the hits.

A ring is final once ``limit`` hits lie within its radius, because every business
not yet seen is farther away. Candidates are visited in (distance, name) order:
every row first seen in a larger ring lies outside the smaller ring's box, so it
is farther than everything visited before. The statements are built and compiled
once per shape and run on the DB-API cursor (see :mod:`.driver_statements`), so a
round trip costs little more than the database's own work.

On PostgreSQL, EXPLAIN ANALYZE shows the same index use as SQLite, but planning each
statement (0.1-0.3 ms) costs as much as running it: psycopg prepares a statement only
after five executions, and forgets its prepared statements at every rollback, which
the pool issues whenever a session returns its connection.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from backend.businesses.models import lat_cell_of
from backend.core.driver_statements import fetch_rows
from backend.extensions import db
from backend.geo.distance import distances_from
from backend.hours.availability import (
    HoursSpec,
    Interval,
    describe_availability,
    describe_hours_availability,
    is_open_by_hours,
    shift_covers,
)
from backend.search import index_state as search_index_state
from backend.search.query import Candidate, SearchAnswer, SearchHit, SearchQuery
from backend.search.rings import search_in_rings, still_needed
from backend.search.statements import business_statement, links_statement, padded_ids

__all__ = [
    "SearchAnswer", "SearchHit", "SearchQuery", "find_available_businesses", "search_businesses",
]  # fmt: skip

# Shifts that ended this long before the asked instant cannot matter to its availability.
SHIFT_HISTORY = timedelta(days=15)
# Business rows are read in batches of one of these sizes (padded), so few statements exist.
BATCH_SIZES = (8, 16, 24, 32, 48, 64, 128, 256)


def find_available_businesses(
    query: SearchQuery, *, max_service_radius_km: float, lookahead: timedelta
) -> list[SearchHit]:
    """The nearest businesses for ``query``, sorted by distance then name."""
    return search_businesses(
        query, max_service_radius_km=max_service_radius_km, lookahead=lookahead
    ).hits


def search_businesses(
    query: SearchQuery, *, max_service_radius_km: float, lookahead: timedelta
) -> SearchAnswer:
    """:func:`find_available_businesses`, with the listing cache of the data searched.

    Answered from this process's in-memory index while it is current, else from the
    database (the same answer, found with a few more statements).
    """
    if not query.trade_ids:
        return SearchAnswer([])
    reach = (
        max_service_radius_km
        if query.radius_km is None
        else min(query.radius_km, max_service_radius_km)
    )
    since = query.at - SHIFT_HISTORY
    index = search_index_state.usable_index(since=since)
    if index is not None:
        chosen, shifts = index.nearest(query, reach, since=since)
    else:
        chosen, shifts = _search_database(query, db.session.connection(), reach, since)
    hits = []
    for candidate in chosen:
        own = shifts.get(candidate.business_id)
        if own:
            availability = describe_availability(candidate.spec, own, query.at, lookahead)
        else:  # remembered: hits with the same hours and no shifts are alike
            availability = describe_hours_availability(candidate.spec, query.at, lookahead)
        hits.append(SearchHit(candidate.business_id, candidate.distance_km, availability))
    return SearchAnswer(hits, index.listing_fragments if index is not None else None)


def _search_database(
    query: SearchQuery, connection: Connection, reach: float, since: datetime
) -> tuple[list[Candidate], dict[int, list[Interval]]]:
    """The chosen candidates and their shifts ending after ``since`` (asked trades only)."""
    search = _RingSearch(query, connection, reach, since)
    search_in_rings(search, query.lat, query.lon, query.limit, reach)
    return search.chosen, search.shifts


class _RingSearch:
    """The state of one search: links seen, candidates still to visit, hits chosen."""

    def __init__(
        self, query: SearchQuery, connection: Connection, reach: float, since: datetime
    ) -> None:
        self.query = query
        self.connection = connection
        self.reach = reach
        self.trade_params = {f"trade_{i}": trade for i, trade in enumerate(query.trade_ids)}
        self.since = since
        self.trades = set(query.trade_ids)
        self.distance_km = distances_from(query.lat, query.lon)
        self.seen: set[int] = set()
        self.outside: list[tuple[float, int]] = []  # (distance, id) beyond the current ring
        self.chosen: list[Candidate] = []
        self.shifts: dict[int, list[Interval]] = {}  # of the businesses read, asked trades only
        self.specs: dict[tuple, HoursSpec] = {}
        self.visited = 0  # candidates whose business rows were read

    @property
    def pending_count(self) -> int:
        """Candidates seen beyond the current ring."""
        return len(self.outside)

    def widen(self, ring_km: float, box: tuple, inner: tuple) -> bool:
        """Visit the candidates within ``ring_km``; True once ``limit`` hits are chosen."""
        cells = range(lat_cell_of(box[0]), lat_cell_of(box[1]) + 1)
        rows = fetch_rows(
            self.connection,
            links_statement(len(self.query.trade_ids), len(cells)),
            {
                **self.trade_params,
                **{f"cell_{i}": cell for i, cell in enumerate(cells)},
                "min_lat": box[0], "max_lat": box[1], "min_lon": box[2], "max_lon": box[3],
                "inner_min_lat": inner[0], "inner_max_lat": inner[1],
                "inner_min_lon": inner[2], "inner_max_lon": inner[3],
            },
        )  # fmt: skip
        seen, outside, reach, distance_km = self.seen, self.outside, self.reach, self.distance_km
        for business_id, lat, lon in rows:
            if business_id not in seen:  # a business with two asked trades has two links
                seen.add(business_id)
                distance = distance_km(lat, lon)
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
        """How many more candidates to read: those still needed, plus a quarter."""
        needed = still_needed(self.query.limit, len(self.chosen), self.visited)
        return max(BATCH_SIZES[0], min(BATCH_SIZES[-1], round(needed * 1.25)))

    def _visit(self, batch: list[tuple[float, int]]) -> None:
        """Read the businesses of ``batch`` and choose the listable ones in order."""
        self.visited += len(batch)
        details = {}
        at, trades, shifts = self.query.at, self.trades, self.shifts
        for size_start in range(0, len(batch), BATCH_SIZES[-1]):
            ids = [
                business_id for _, business_id in batch[size_start : size_start + BATCH_SIZES[-1]]
            ]
            size = next(size for size in BATCH_SIZES if size >= len(ids))
            # (id, name, radius, land, opening hours, emergency hours, shift trade, start, end)
            for row in fetch_rows(
                self.connection,
                business_statement(size),
                {"since": self.since, **padded_ids(ids, size)},
            ):
                business_id = row[0]
                details[business_id] = row
                if row[6] in trades:  # None (no shift) is never an asked trade
                    shifts.setdefault(business_id, []).append((row[7], row[8]))
        candidates = []
        for distance, business_id in batch:
            row = details.get(business_id)
            if row is None or distance > row[2]:  # inactive, or out of its service radius
                continue
            on_duty = shift_covers(shifts.get(business_id, ()), at)
            candidates.append((distance, row[1], on_duty, business_id, tuple(row[3:6])))
        candidates.sort(key=lambda c: (c[0], c[1]))
        for distance, _, on_duty, business_id, hours in candidates:
            spec = self._spec(hours)
            if self.query.only_available and not (on_duty or is_open_by_hours(spec, at)):
                continue
            self.chosen.append(Candidate(business_id, distance, spec))
            if len(self.chosen) == self.query.limit:
                return

    def _spec(self, hours: tuple[str, str | None, str | None]) -> HoursSpec:
        """One HoursSpec per distinct (Land, opening, emergency) in this search."""
        spec = self.specs.get(hours)
        if spec is None:
            spec = self.specs[hours] = HoursSpec(*hours)
        return spec
