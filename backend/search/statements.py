"""The statements of the ring search, built once per shape (see :mod:`.search`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from sqlalchemy import Connection, Select, and_, bindparam, select

from backend.businesses.models import Business, BusinessTrade, lat_cell
from backend.core.driver_statements import fetch_rows
from backend.core.types import UTCDateTime
from backend.roster.models import RosterShift


def padded_ids(ids: list[int], size: int) -> dict[str, object]:
    """Parameters ``id_0`` .. ``id_{size-1}``: the ids, then -1 (no business has it)."""
    return {f"id_{i}": ids[i] if i < len(ids) else -1 for i in range(size)}


# Statements on a list of ids are built for these list lengths only (padded with -1), so
# each is compiled once, not once per length.
ID_BATCH_SIZES = (1, 16, 64)


def rows_for_ids(
    connection: Connection, statement: Callable[[int], Select], ids: list[int]
) -> Iterator[Sequence]:
    """The rows of ``statement(size)`` (bound ``id_0`` ..) for ``ids``, in padded batches.

    On the DB-API cursor with the types still converted (:func:`fetch_rows`): for the
    few rows a search reads, a Row per row cost more than the read.
    """
    for start in range(0, len(ids), ID_BATCH_SIZES[-1]):
        chunk = ids[start : start + ID_BATCH_SIZES[-1]]
        size = next(size for size in ID_BATCH_SIZES if size >= len(chunk))
        yield from fetch_rows(connection, statement(size), padded_ids(chunk, size))


def _trades(trade_count: int) -> list:
    """Bind parameters ``trade_0`` .. for the asked trades."""
    return [bindparam(f"trade_{i}") for i in range(trade_count)]


@lru_cache(maxsize=256)
def links_statement(trade_count: int, cell_count: int) -> Select:
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
def business_statement(size: int) -> Select:
    """Listed businesses by id (padded to ``size``), one row per shift ending after ``since``.

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
            Business.listed,
        )
    )
