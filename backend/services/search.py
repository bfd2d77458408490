"""Find the nearest businesses that can help, in growing rings around the resident.

The cost of a search follows the neighbourhood, not the table:

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
once per shape and run on the DB-API cursor (see ``_fetch``), so a round trip costs
little more than the database's own work.

On PostgreSQL, EXPLAIN ANALYZE shows the same index use as SQLite, but planning each
statement (0.1-0.3 ms) costs as much as running it: psycopg prepares a statement only
after five executions, and forgets its prepared statements at every rollback, which
the pool issues whenever a session returns its connection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from math import pi, sqrt

from sqlalchemy import Connection, Dialect, Select, and_, bindparam, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import TypeEngine

from backend.extensions import db
from backend.models import Business, BusinessTrade, RosterShift
from backend.models.business import lat_cell, lat_cell_of
from backend.models.types import UTCDateTime
from backend.services.availability import (
    Availability,
    HoursSpec,
    Interval,
    describe_availability,
    is_open_by_hours,
    shift_covers,
)
from backend.services.geo import bounding_box, distances_from

# The first ring's radius in km. Each later ring is sized from the candidates seen so far,
# 1.5 to 3 times as wide as the one before; the last ring is the reach of the search.
FIRST_RING_KM = 1.0
RING_GROWTH = (1.5, 3.0)
# How many more candidates than the estimate a ring should hold (one ring too few costs
# two more round trips).
RING_MARGIN = 1.6
# Shifts that ended this long before the asked instant cannot matter to its availability.
SHIFT_HISTORY = timedelta(days=15)
# Business rows are read in batches of one of these sizes (padded), so few statements exist.
BATCH_SIZES = (8, 16, 24, 32, 48, 64, 128, 256)
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
    ring, inner = min(FIRST_RING_KM, reach), _EMPTY_BOX
    while True:
        box = bounding_box(query.lat, query.lon, ring)
        if search.widen(ring, box, inner) or ring >= reach:
            break
        ring, inner = min(search.next_ring(ring), reach), box
    # Hits without shifts and with the same hours have the same availability.
    by_hours: dict[HoursSpec, Availability] = {}
    hits = []
    for c in search.chosen:
        own = search.shifts.get(c.business_id)
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
        self.trade_params = {f"trade_{i}": trade for i, trade in enumerate(query.trade_ids)}
        self.since = query.at - SHIFT_HISTORY
        self.trades = set(query.trade_ids)
        self.distance_km = distances_from(query.lat, query.lon)
        self.seen: set[int] = set()
        self.outside: list[tuple[float, int]] = []  # (distance, id) beyond the current ring
        self.chosen: list[_Candidate] = []
        self.shifts: dict[int, list[Interval]] = {}  # of the businesses read, asked trades only
        self.specs: dict[tuple, HoursSpec] = {}
        self.open_by_hours: dict[tuple, bool] = {}
        self.visited = 0  # candidates whose business rows were read

    def widen(self, ring_km: float, box: tuple, inner: tuple) -> bool:
        """Visit the candidates within ``ring_km``; True once ``limit`` hits are chosen."""
        cells = range(lat_cell_of(box[0]), lat_cell_of(box[1]) + 1)
        rows = _fetch(
            self.connection,
            _links_statement(len(self.query.trade_ids), len(cells)),
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

    def next_ring(self, ring_km: float) -> float:
        """The radius of the next ring: one that should hold the candidates still needed.

        The candidates seen in the current box, about (2 r)², give the density around the
        resident; a ring of radius R holds about density × πR² of them.
        """
        candidates = self.visited + len(self.outside)
        if not candidates:
            return ring_km * RING_GROWTH[1]
        wanted = self.visited + self._still_needed() * RING_MARGIN
        radius = sqrt(wanted * (2 * ring_km) ** 2 / (pi * candidates))
        return min(max(radius, ring_km * RING_GROWTH[0]), ring_km * RING_GROWTH[1])

    def _batch_size(self) -> int:
        """How many more candidates to read: those still needed, plus a quarter."""
        return max(BATCH_SIZES[0], min(BATCH_SIZES[-1], round(self._still_needed() * 1.25)))

    def _still_needed(self) -> float:
        """Candidates still to visit for the missing hits, at the hit rate so far."""
        missing = self.query.limit - len(self.chosen)
        # Before any evidence, assume every other candidate is a hit.
        rate = (len(self.chosen) + 1) / (self.visited + 2)
        return missing / max(rate, 0.05)

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
            for row in _fetch(
                self.connection,
                _business_statement(size),
                {"since": self.since, **_padded_ids(ids, size)},
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


def _fetch(connection: Connection, statement: Select, params: dict) -> list[Sequence]:
    """The rows of ``statement``, run on the DB-API cursor of ``connection``.

    Why not ``connection.execute``: for the two statements a search repeats, SQLAlchemy's
    work per execution (a parameter list from every bind, execution context, events, a
    Row per row) costs more than the indexed reads themselves. On SQLite at 1M
    businesses, median per execution: a ring 68 µs against 24 µs on the cursor, a
    batch of business rows 152 µs against 85 µs. SQLAlchemy still builds and compiles
    the statement (once), and the bind and result processors of its types still convert
    the values, so the rows hold what ``connection.execute`` would give, and errors are
    handled as it would handle them. What is lost: the SQL log (echo) and engine events,
    which reads do not need.
    """
    return _DriverStatement.of(statement, connection.dialect).fetch_all(connection, params)


@dataclass
class _DriverStatement:
    """A statement compiled for one dialect, with the type conversions of its values."""

    dialect: Dialect
    sql: str
    order: list[str] | None  # parameter names in placeholder order, for positional styles
    bind_processors: dict[str, Callable]
    column_types: list[TypeEngine]
    # (column, processor) for the columns whose values need converting. Set by the first
    # execution: PostgreSQL's processors depend on the column types the driver reports.
    result_processors: list[tuple[int, Callable]] | None = None

    @staticmethod
    @lru_cache(maxsize=512)
    def of(statement: Select, dialect: Dialect) -> _DriverStatement:
        """``statement`` compiled for ``dialect`` (cached: statements are built once per shape)."""
        compiled = statement.compile(dialect=dialect)
        processors = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }
        return _DriverStatement(
            dialect=dialect,
            sql=compiled.string,
            order=compiled.positiontup,
            bind_processors={name: process for name, process in processors.items() if process},
            column_types=[column.type for column in statement.selected_columns],
        )

    def fetch_all(self, connection: Connection, params: dict) -> list[Sequence]:
        """Execute with ``params`` (by bind name) and return every row, values converted."""
        if self.bind_processors:
            params = params | {
                name: bind(params[name]) for name, bind in self.bind_processors.items()
            }
        dbapi_connection = connection.connection.dbapi_connection
        with closing(dbapi_connection.cursor()) as cursor:
            try:
                cursor.execute(
                    self.sql, params if self.order is None else [params[n] for n in self.order]
                )
                rows = cursor.fetchall()
            except self.dialect.loaded_dbapi.Error as error:
                # As Connection.execute does: a lost connection is never used again, and
                # the error is SQLAlchemy's (DBAPIError), whatever the driver.
                if self.dialect.is_disconnect(error, dbapi_connection, cursor):
                    connection.invalidate(error)
                raise DBAPIError.instance(
                    self.sql, params, error, self.dialect.loaded_dbapi.Error
                ) from error
            if self.result_processors is None:
                self.result_processors = self._result_processors(cursor.description)
        return self._converted(rows) if self.result_processors else rows

    def _result_processors(self, description: Sequence) -> list[tuple[int, Callable]]:
        found = []
        for i, (type_, (_, driver_type, *_)) in enumerate(
            zip(self.column_types, description, strict=True)
        ):
            process = type_.dialect_impl(self.dialect).result_processor(self.dialect, driver_type)
            if process is not None:
                found.append((i, process))
        return found

    def _converted(self, rows: list[Sequence]) -> list[Sequence]:
        converted = []
        for row in rows:
            row = list(row)
            for i, process in self.result_processors or ():
                if row[i] is not None:  # e.g. the shift columns of a business without shifts
                    row[i] = process(row[i])
            converted.append(row)
        return converted


def _padded_ids(ids: list[int], size: int) -> dict[str, object]:
    """Parameters ``id_0`` .. ``id_{size-1}``: the ids, then -1 (no business has it)."""
    return {f"id_{i}": ids[i] if i < len(ids) else -1 for i in range(size)}


def _trades(trade_count: int) -> list:
    return [bindparam(f"trade_{i}") for i in range(trade_count)]


@lru_cache(maxsize=256)
def _links_statement(trade_count: int, cell_count: int) -> Select:
    """Links of the asked trades in the box but not in the inner box: index only.

    ``lat_cell(lat) IN (...)`` lets the index seek each (trade, latitude band) and then
    the lon range inside it. SQLite: ``SEARCH business_trades USING COVERING INDEX
    ix_business_trades_trade_cell (trade_id=? AND <expr>=? AND lon>? AND lon<?)``;
    PostgreSQL: an Index Only Scan with all three in the Index Cond. With the old index
    (trade_id, lat, lon) both scanned a whole band of latitude across the country.
    """
    return select(BusinessTrade.business_id, BusinessTrade.lat, BusinessTrade.lon).where(
        BusinessTrade.trade_id.in_(_trades(trade_count)),
        lat_cell(BusinessTrade.lat).in_([bindparam(f"cell_{i}") for i in range(cell_count)]),
        BusinessTrade.lon.between(bindparam("min_lon"), bindparam("max_lon")),
        BusinessTrade.lat.between(bindparam("min_lat"), bindparam("max_lat")),
        ~and_(
            BusinessTrade.lat.between(bindparam("inner_min_lat"), bindparam("inner_max_lat")),
            BusinessTrade.lon.between(bindparam("inner_min_lon"), bindparam("inner_max_lon")),
        ),
    )


@lru_cache(maxsize=16)
def _business_statement(size: int) -> Select:
    """Active businesses by id (padded to ``size``), one row per shift ending after ``since``.

    A business without such shifts has one row with NULL shift columns. SQLite: SEARCH
    businesses USING INTEGER PRIMARY KEY, then roster_shifts USING INDEX
    ix_roster_shifts_business_id; PostgreSQL: the same as a nested loop. Shifts are
    filtered by trade in Python: SQLite 3.40 with ANALYZE statistics returns rows
    outside the range for ``trade_id IN (...)`` followed by a range on the next
    column of the index (business_id, trade_id, starts_at).
    """
    return (
        select(
            Business.id,
            Business.name,
            Business.service_radius_km,
            Business.land,
            Business.opening_hours,
            Business.emergency_hours,
            RosterShift.trade_id,
            RosterShift.starts_at,
            RosterShift.ends_at,
        )
        .outerjoin(
            RosterShift,
            and_(
                RosterShift.business_id == Business.id,
                RosterShift.ends_at > bindparam("since", type_=UTCDateTime()),
            ),
        )
        .where(
            Business.id.in_([bindparam(f"id_{i}") for i in range(size)]),
            Business.active.is_(True),
        )
    )
