"""Building a :class:`~backend.services.search_index.SearchIndex` from committed data.

One statement per trade (its links to active businesses, by longitude), the name order
of the businesses, and the shifts that can still matter; arrays filled row by row.
"""

from __future__ import annotations

from array import array
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Connection, Select, bindparam, literal_column, select

from backend.models import Business, BusinessTrade, RosterShift, SearchDataVersion, Trade
from backend.models.business import lat_cell_of
from backend.models.types import UTCDateTime
from backend.services.availability import HoursSpec
from backend.services.driver_statements import fetch_rows
from backend.services.search_index import Band, SearchIndex, Shift


def build_search_index(connection: Connection, *, shifts_since: datetime) -> SearchIndex:
    """An index of the committed data on ``connection``, tagged with the version read first."""
    version = read_data_version(connection)
    ranks = _name_ranks(connection)
    spec_keys: dict[tuple, int] = {}
    bands: dict[tuple[int, int], Band] = {}
    links = 0
    for trade_id in connection.scalars(select(Trade.id)):
        rows = fetch_rows(connection, _links_statement(), {"trade": trade_id})
        links += len(rows)
        # (lon, lat, business id, service radius, land, opening hours, emergency hours)
        for lon, lat, business_id, radius, *hours in rows:
            key = (trade_id, lat_cell_of(lat))
            band = bands.get(key)
            if band is None:
                band = bands[key] = Band()
            band.lons.append(lon)
            band.lats.append(lat)
            band.business_ids.append(business_id)
            band.radii.append(radius)
            band.specs.append(spec_keys.setdefault(tuple(hours), len(spec_keys)))
            band.name_ranks.append(_rank(ranks, business_id))
    return SearchIndex(
        version=version if version is not None else -1,
        shifts_since=shifts_since,
        bands=bands,
        specs=[HoursSpec(*hours) for hours in spec_keys],
        shifts=_shifts(connection, shifts_since),
        links=links,
    )


def _name_ranks(connection: Connection) -> array | dict[int, int]:
    """Each active business's place in (name, id) order, compared as Python compares str."""
    # Code-point order: SQLite's BINARY compares UTF-8 bytes, PostgreSQL's "C" likewise.
    collation = "C" if connection.dialect.name == "postgresql" else "BINARY"
    ids = connection.scalars(
        select(Business.id)
        .where(Business.active.is_(True))
        .order_by(Business.name.collate(collation), Business.id)
    ).all()
    highest = max(ids, default=0)
    # Ids are dense in practice: an array by id is a tenth of a dict's size.
    ranks: array | dict[int, int] = (
        array("q", bytes(8 * (highest + 1))) if highest <= 4 * len(ids) + 1024 else {}
    )
    for rank, business_id in enumerate(ids):
        ranks[business_id] = rank
    return ranks


def _rank(ranks: array | dict[int, int], business_id: int) -> int:
    try:
        return ranks[business_id]
    except (IndexError, KeyError):
        # Activated after the ranks were read: the version has moved on too, so this
        # index will never be used; it only must not fail.
        return -1


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
    """The links of one trade to active businesses, by longitude, with what the search needs."""
    return (
        select(
            BusinessTrade.lon,
            BusinessTrade.lat,
            BusinessTrade.business_id,
            Business.service_radius_km,
            Business.land,
            Business.opening_hours,
            Business.emergency_hours,
        )
        .join(Business, Business.id == BusinessTrade.business_id)
        .where(BusinessTrade.trade_id == bindparam("trade"), Business.active.is_(True))
        .order_by(BusinessTrade.lon)
    )


def read_data_version(connection: Connection) -> int | None:
    """The database's search data version (None if its row is missing)."""
    rows = fetch_rows(connection, _version_statement(), {})
    return rows[0][0] if rows else None


@lru_cache(maxsize=1)
def _version_statement() -> Select:
    return select(SearchDataVersion.version).where(SearchDataVersion.id == literal_column("1"))
