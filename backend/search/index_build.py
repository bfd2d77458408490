"""Building a :class:`~backend.search.index.SearchIndex` from committed data.

The active businesses once, in name order (their place in it, service radius and
hours, by id), then one statement per trade (its links, by longitude, joined to the
businesses in Python), and the shifts that can still matter.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Connection, Select, bindparam, func, select

from backend.businesses.models import Business, BusinessTrade, lat_cell_of
from backend.core.driver_statements import fetch_rows
from backend.core.types import UTCDateTime
from backend.hours.availability import HoursSpec
from backend.reference.models import Trade
from backend.roster.models import RosterShift
from backend.search.data_version import read_data_version
from backend.search.index import Band, SearchIndex, Shift
from backend.search.listing_fragments import ListingFragments


def build_search_index(
    connection: Connection, *, shifts_since: datetime, listing_cache: int
) -> SearchIndex:
    """An index of the committed data on ``connection``, tagged with the version read first.

    Its listing cache keeps up to ``listing_cache`` rendered listings.
    """
    version = read_data_version(connection)
    businesses = _active_businesses(connection)
    bands: dict[tuple[int, int], Band] = {}
    for trade_id in connection.scalars(select(Trade.id)):
        by_cell: dict[int, list[tuple[float, float, int, int]]] = {}
        for lon, lat, business_id in fetch_rows(
            connection, _links_statement(), {"trade": trade_id}
        ):
            rank = businesses.rank(business_id)
            if rank >= 0:  # listed
                by_cell.setdefault(lat_cell_of(lat), []).append(
                    (lon, lat, business_id, businesses.radii[business_id],
                     businesses.specs[business_id], rank)
                )  # fmt: skip
        for cell, found in by_cell.items():  # each in longitude order, as read
            bands[(trade_id, cell)] = make_band(found)
    return SearchIndex(
        version=version if version is not None else -1,
        shifts_since=shifts_since,
        bands=bands,
        specs=[HoursSpec(*hours) for hours in businesses.spec_keys],
        shifts=_shifts(connection, shifts_since),
        listing_fragments=ListingFragments(listing_cache),
        ranks=businesses.ranks,
        spec_ids=businesses.spec_keys,
        rank_ceiling=businesses.listed + 1.0,
    )


# A link as a band holds it: lon, lat, business id, service radius, spec, name rank.
Link = tuple[float, float, int, float, int, float]


def make_band(links: list[Link]) -> Band:
    """A band of ``links``, which are in longitude order."""
    return Band(
        lons=array("d", [link[0] for link in links]),
        lats=array("d", [link[1] for link in links]),
        business_ids=array("q", [link[2] for link in links]),
        radii=array("d", [link[3] for link in links]),
        specs=array("l", [link[4] for link in links]),
        name_ranks=array("d", [link[5] for link in links]),
    )


# Rows of the businesses read at a time.
BATCH_ROWS = 20_000


@dataclass
class _Businesses:
    """What the index needs of the active businesses, by id (arrays while ids are dense)."""

    ranks: array | dict[int, float]  # place in (name, id) order; -1: not listed
    radii: array | dict[int, float]
    specs: array | dict[int, int]  # index into spec_keys
    spec_keys: dict[tuple[str, str | None, str | None], int] = field(default_factory=dict)
    listed: int = 0  # ranks given: 0 .. listed - 1

    def rank(self, business_id: int) -> float:
        """The business's place in name order, or -1 if it is not an active business."""
        try:
            return self.ranks[business_id]
        except (IndexError, KeyError):
            # Created after the businesses were read: the version has moved on too, so
            # this index will never be used; it only must not fail.
            return -1


def _active_businesses(connection: Connection) -> _Businesses:
    """Read the active businesses once, in name order (one sequential read, no joins)."""
    highest, count = connection.execute(select(func.max(Business.id), func.count())).one()
    # Ids are dense in practice: arrays by id take a tenth of a dict's memory.
    size = (highest or 0) + 1 if (highest or 0) <= 4 * count + 1024 else 0
    found = _Businesses(
        ranks=array("d", [-1.0]) * size if size else {},
        radii=array("d", [0.0]) * size if size else {},
        specs=array("l", [0]) * size if size else {},
    )
    spec_keys = found.spec_keys
    statement = (
        select(
            Business.id,
            Business.service_radius_km,
            Business.land,
            Business.opening_hours,
            Business.emergency_hours,
        )
        .where(Business.listed)
        .order_by(Business.name, Business.id)
    )
    ranks, radii, specs = found.ranks, found.radii, found.specs
    rank = 0.0
    # In batches: a million rows at once would take hundreds of MB for a moment.
    for batch in connection.execution_options(yield_per=BATCH_ROWS).execute(statement).partitions():
        for business_id, radius, *hours in batch:
            ranks[business_id] = rank
            radii[business_id] = radius
            specs[business_id] = spec_keys.setdefault(tuple(hours), len(spec_keys))
            rank += 1.0
    found.listed = int(rank)
    return found


def _shifts(connection: Connection, since: datetime) -> dict[int, tuple[Shift, ...]]:
    """Shifts ending after ``since``, by business, all trades."""
    found: dict[int, list[Shift]] = {}
    statement = select(
        RosterShift.business_id, RosterShift.trade_id, RosterShift.starts_at, RosterShift.ends_at
    ).where(RosterShift.ends_at > bindparam("since", type_=UTCDateTime()))
    for business_id, trade_id, starts_at, ends_at in connection.execute(
        statement, {"since": since}
    ):
        found.setdefault(business_id, []).append((trade_id, starts_at, ends_at))
    return {business_id: tuple(shifts) for business_id, shifts in found.items()}


@lru_cache(maxsize=1)
def _links_statement() -> Select:
    """The links of one trade, by longitude (read from the search index of migration 0003)."""
    return (
        select(BusinessTrade.lon, BusinessTrade.lat, BusinessTrade.business_id)
        .where(BusinessTrade.trade_id == bindparam("trade"))
        .order_by(BusinessTrade.lon)
    )
