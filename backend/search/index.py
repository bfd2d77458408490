"""An in-memory copy of the searched data, one per process, used only while it is current.

Why: searching the database costs a few statements per request, and over HTTP
those statements (and the Python around them) were most of a search request. The
copy holds, per (trade, latitude band), the links of active businesses sorted by
longitude in flat arrays: coordinates, business id, service radius, hours and the
business's place in name order (about 40 bytes per link, 55 MB at a million
businesses), plus the roster shifts that can still matter.

Current means: built from the data at the database's search data version, which
triggers move on in the same transaction as every write to businesses, their trades
and roster shifts (migration 0004), whoever writes. Every search reads the version
(one row) and uses the copy only when it is the copy's own; otherwise the search
reads the database, which is always right, while a new copy is built (see
:mod:`.search_index_state`). The version is read before the rows when building, so
a copy may hold newer data than its version says, but it is then never used: the
database already shows a later version.

The search on the copy visits the same rings as the database search and keeps the
same order (distance, then name, then id), so both give the same answer; the tests
compare both with a brute-force scan.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import datetime

from backend.businesses.models import lat_cell_of
from backend.geo.distance import distances_from
from backend.hours.availability import HoursSpec, Interval, is_open_by_hours, shift_covers
from backend.search.listing_fragments import ListingFragments
from backend.search.query import Candidate, SearchQuery
from backend.search.rings import search_in_rings

# (trade_id, starts_at, ends_at) of one business's shifts, all trades.
Shift = tuple[int, datetime, datetime]


@dataclass
class Band:
    """The links of one trade in one latitude band, sorted by longitude (parallel arrays)."""

    lons: array  # "d"
    lats: array  # "d"
    business_ids: array  # "q"
    radii: array  # "d"
    specs: array  # "l", into SearchIndex.specs
    name_ranks: array  # "d", the business's place in (name, id) order (see ``ranks``)


@dataclass
class SearchIndex:
    """The searched data at ``version``.

    Brought to a later version in place by :mod:`.index_patch` (one patch at a time):
    a band, a business's shifts or the listing cache is replaced whole, never changed
    in place, and ``version`` moves last, so a search running meanwhile sees data at
    its version or newer, never older.
    """

    version: int
    # Shifts ending after this instant are held; older ones were left out.
    shifts_since: datetime
    bands: dict[tuple[int, int], Band]
    specs: list[HoursSpec]
    shifts: dict[int, tuple[Shift, ...]]
    # Listings rendered while the database was at this version (or a later one).
    listing_fragments: ListingFragments
    # By business id: its place in (name, id) order among active businesses (build
    # order 0, 1, 2, ...; a patched business gets a value between its neighbours'), -1
    # if not listed; and the number of each distinct hours in ``specs``.
    ranks: array | dict[int, float] = field(default_factory=dict)
    spec_ids: dict[tuple[str, str | None, str | None], int] = field(default_factory=dict)
    # Above every rank given so far: a business patched in after the last one in name
    # order is ranked from here, without a scan over ``ranks``.
    rank_ceiling: float = 0.0

    @property
    def links(self) -> int:
        """How many links (business, trade) the index holds."""
        return sum(len(band.lons) for band in self.bands.values())

    def covers(self, since: datetime) -> bool:
        """Whether every shift ending after ``since`` is held."""
        return since >= self.shifts_since

    def nearest(
        self, query: SearchQuery, reach: float, *, since: datetime
    ) -> tuple[list[Candidate], dict[int, list[Interval]]]:
        """The chosen candidates for ``query`` and their shifts ending after ``since``.

        The answer has the shape of the database search's (see :mod:`.search`).
        """
        search = _IndexSearch(self, query, reach, since)
        search_in_rings(search, query.lat, query.lon, query.limit, reach)
        return search.chosen, search.shifts


class _IndexSearch:
    """The state of one search on the index: links seen, candidates pending, hits chosen."""

    def __init__(
        self, index: SearchIndex, query: SearchQuery, reach: float, since: datetime
    ) -> None:
        self.index = index
        self.query = query
        self.reach = reach
        self.since = since
        self.trades = set(query.trade_ids)
        self.distance_km = distances_from(query.lat, query.lon)
        self.seen: set[int] = set()
        # (distance, name rank, business id, spec) beyond the current ring
        self.pending: list[tuple[float, float, int, int]] = []
        self.chosen: list[Candidate] = []
        self.shifts: dict[int, list[Interval]] = {}
        self.visited = 0

    @property
    def pending_count(self) -> int:
        """Candidates seen beyond the current ring."""
        return len(self.pending)

    def widen(self, ring_km: float, box: tuple, inner: tuple) -> bool:
        """Visit the candidates within ``ring_km``; True once ``limit`` hits are chosen."""
        self._collect(box, inner)
        due = sorted(entry for entry in self.pending if entry[0] <= ring_km)
        self.pending = [entry for entry in self.pending if entry[0] > ring_km]
        specs, limit = self.index.specs, self.query.limit
        for distance, _, business_id, spec in due:
            self.visited += 1
            own = self._own_shifts(business_id)
            if (
                self.query.only_available
                and not shift_covers(own, self.query.at)
                and not is_open_by_hours(specs[spec], self.query.at)
            ):
                continue
            if own:
                self.shifts[business_id] = own
            self.chosen.append(Candidate(business_id, distance, specs[spec]))
            if len(self.chosen) == limit:
                return True
        return False

    def _collect(self, box: tuple, inner: tuple) -> None:
        """Links in ``box`` but not in ``inner``, within reach and their service radius."""
        min_lat, max_lat, min_lon, max_lon = box
        inner_min_lat, inner_max_lat, inner_min_lon, inner_max_lon = inner
        seen, pending, reach, distance_km = self.seen, self.pending, self.reach, self.distance_km
        bands = self.index.bands
        for trade in self.query.trade_ids:
            for cell in range(lat_cell_of(min_lat), lat_cell_of(max_lat) + 1):
                band = bands.get((trade, cell))
                if band is None:
                    continue
                lons, lats = band.lons, band.lats
                for i in range(bisect_left(lons, min_lon), bisect_right(lons, max_lon)):
                    lat, lon = lats[i], lons[i]
                    if not min_lat <= lat <= max_lat or (
                        inner_min_lat <= lat <= inner_max_lat
                        and inner_min_lon <= lon <= inner_max_lon
                    ):
                        continue
                    business_id = band.business_ids[i]
                    if business_id in seen:  # a business with two asked trades
                        continue
                    seen.add(business_id)
                    distance = distance_km(lat, lon)
                    if distance <= reach and distance <= band.radii[i]:
                        pending.append((distance, band.name_ranks[i], business_id, band.specs[i]))

    def _own_shifts(self, business_id: int) -> list[Interval]:
        """The business's shifts for the asked trades that end after ``since``."""
        return [
            (start, end)
            for trade, start, end in self.index.shifts.get(business_id, ())
            if trade in self.trades and end > self.since
        ]
