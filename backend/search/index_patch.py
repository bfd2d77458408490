"""Bringing an in-memory search index to the database's current version, in place.

The triggers of migration 0013 log every changed business with the version that
changed it. A patch reads the log since the index's version, then re-reads just those
businesses (row, trade links, shifts) and replaces the bands that held or now hold
them; everything else stays. A patch costs what the changed businesses cost, not what
the country costs, so an index stays current while guild staff edit all day.

All reads happen in one transaction (REPEATABLE READ on PostgreSQL, a WAL snapshot on
SQLite), so the rows agree with the version read. Re-reading a business is idempotent:
whatever committed meanwhile is read again by the next patch.

A patch gives up (the caller rebuilds) when the log no longer reaches back to the
index's version, when a TRUNCATE emptied a table, when too many businesses changed
for a patch to be cheaper than a build, or when the name ranks between two neighbours
have no room left.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Connection, Engine, Select, bindparam, select, tuple_

from backend.businesses.models import Business, BusinessTrade, lat_cell_of
from backend.core.driver_statements import fetch_rows
from backend.core.types import UTCDateTime
from backend.hours.availability import HoursSpec
from backend.roster.models import RosterShift
from backend.search.data_version import SearchChange, SearchDataVersion
from backend.search.index import SearchIndex
from backend.search.index_build import Link, make_band

# Above this many changed businesses, a full build is cheaper than re-reading them.
MAX_PATCHED_BUSINESSES = 5_000
# Ids are bound as lists of this size (padded with -1), so few statements exist.
ID_BATCH = 256


class PatchImpossible(Exception):
    """The index cannot be brought up to date by a patch; build a new one."""


def patch_index(index: SearchIndex, engine: Engine) -> None:
    """Bring ``index`` to the database's current version (see the module docstring).

    Raises :class:`PatchImpossible` when only a new build can; the index is then
    left as it was.
    """
    with _snapshot(engine) as connection:
        version, complete_from = connection.execute(
            select(SearchDataVersion.version, SearchDataVersion.changes_from)
        ).one()
        if version == index.version:
            return
        if complete_from is None or index.version < complete_from:
            raise PatchImpossible("the change log does not reach back to the index")
        changed, old_keys = _changes(connection, index.version, version)
        if len(changed) > MAX_PATCHED_BUSINESSES:
            raise PatchImpossible(f"{len(changed)} businesses changed")
        rows = _read(connection, _businesses_statement(), changed)
        links = _read(connection, _links_statement(), changed)
        shifts = _read(connection, _shifts_statement(), changed, since=index.shifts_since)
        active = {row[0]: row for row in rows if row[2]}  # listed: active, not withheld
        ranks = _ranks_between_neighbours(connection, index, active)
    _apply(index, version, changed, old_keys, active, links, shifts, ranks)


def _snapshot(engine: Engine):
    """A connection whose reads all see one committed state."""
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(isolation_level="REPEATABLE READ")
    return engine.connect()


def _changes(
    connection: Connection, since: int, until: int
) -> tuple[set[int], set[tuple[int, int]]]:
    """Businesses changed in (since, until], and the bands their old trade links were in."""
    changed: set[int] = set()
    old_keys: set[tuple[int, int]] = set()
    statement = select(SearchChange.business_id, SearchChange.trade_id, SearchChange.lat).where(
        SearchChange.version > since, SearchChange.version <= until
    )
    for business_id, trade_id, lat in connection.execute(statement):
        if business_id is None:
            raise PatchImpossible("a table was truncated")
        changed.add(business_id)
        if trade_id is not None and lat is not None:
            old_keys.add((trade_id, lat_cell_of(lat)))
    return changed, old_keys


def _read(connection: Connection, statement: Select, ids: Iterable[int], **params) -> list:
    """Rows of ``statement`` for ``ids``, a batch of ids at a time."""
    ids = sorted(ids)
    found = []
    for start in range(0, len(ids), ID_BATCH):
        chunk = ids[start : start + ID_BATCH]
        padded = {f"id_{i}": chunk[i] if i < len(chunk) else -1 for i in range(ID_BATCH)}
        found.extend(fetch_rows(connection, statement, {**padded, **params}))
    return found


def _ids(column) -> object:
    return column.in_([bindparam(f"id_{i}") for i in range(ID_BATCH)])


@lru_cache(maxsize=1)
def _businesses_statement() -> Select:
    return select(
        Business.id, Business.name, Business.listed, Business.service_radius_km,
        Business.land, Business.opening_hours, Business.emergency_hours,
    ).where(_ids(Business.id))  # fmt: skip


@lru_cache(maxsize=1)
def _links_statement() -> Select:
    return select(
        BusinessTrade.business_id, BusinessTrade.trade_id, BusinessTrade.lat, BusinessTrade.lon
    ).where(_ids(BusinessTrade.business_id))


@lru_cache(maxsize=1)
def _shifts_statement() -> Select:
    return select(
        RosterShift.business_id, RosterShift.trade_id, RosterShift.starts_at, RosterShift.ends_at
    ).where(
        _ids(RosterShift.business_id),
        RosterShift.ends_at > bindparam("since", type_=UTCDateTime()),
    )


def _ranks_between_neighbours(
    connection: Connection, index: SearchIndex, active: dict[int, tuple]
) -> dict[int, float]:
    """A name rank for each changed active business, between its unchanged neighbours'.

    Changed businesses that fall between the same two neighbours share the gap evenly,
    in (name, id) order, so the order of ranks is the order of (name, id).
    """
    by_gap: dict[tuple[float, float], list[tuple[str, int]]] = {}
    for business_id, row in active.items():
        below = _neighbour_rank(connection, index, row[1], business_id, active, before=True)
        above = _neighbour_rank(connection, index, row[1], business_id, active, before=False)
        by_gap.setdefault((below, above), []).append((row[1], business_id))
    ranks = {}
    for (below, above), members in by_gap.items():
        members.sort()
        step = (above - below) / (len(members) + 1)
        for n, (_, business_id) in enumerate(members, start=1):
            rank = below + step * n
            if not below < rank < above:
                raise PatchImpossible("no room between two name ranks")
            ranks[business_id] = rank
    return ranks


def _neighbour_rank(
    connection: Connection,
    index: SearchIndex,
    name: str,
    business_id: int,
    skip: dict[int, tuple],
    *,
    before: bool,
) -> float:
    """The rank of the nearest unchanged listed business before (after) (name, id)."""
    statement = _neighbour_statement(before)
    key = {"name": name, "id": business_id}
    while True:
        rows = connection.execute(statement, key).all()
        if not rows:  # none: the ends of the order lie beyond every rank
            return -1.0 if before else index.rank_ceiling
        neighbour_name, neighbour_id = rows[0]
        if neighbour_id not in skip:
            rank = _rank_of(index, neighbour_id)
            if rank < 0:  # became active after the index was built, unknown yet
                raise PatchImpossible("a neighbour is missing from the index")
            return rank
        key = {"name": neighbour_name, "id": neighbour_id}


@lru_cache(maxsize=2)
def _neighbour_statement(before: bool) -> Select:
    # The build's order (index_build._active_businesses), read from ix_businesses_name_order.
    name = Business.name
    key = tuple_(name, Business.id)
    bound = tuple_(bindparam("name"), bindparam("id"))
    statement = select(Business.name, Business.id).where(Business.listed)
    if before:
        return statement.where(key < bound).order_by(name.desc(), Business.id.desc()).limit(1)
    return statement.where(key > bound).order_by(name, Business.id).limit(1)


def _rank_of(index: SearchIndex, business_id: int) -> float:
    try:
        return index.ranks[business_id]
    except (IndexError, KeyError):
        return -1.0


def _apply(
    index: SearchIndex,
    version: int,
    changed: set[int],
    old_keys: set[tuple[int, int]],
    active: dict[int, tuple],
    links: list,
    shifts: list,
    ranks: dict[int, float],
) -> None:
    """Replace what the changed businesses touch; move ``version`` last."""
    new_links: dict[tuple[int, int], list[Link]] = {}
    for business_id, trade_id, lat, lon in links:
        row = active.get(business_id)
        key = (trade_id, lat_cell_of(lat))
        old_keys.add(key)
        if row is not None:
            spec = _spec_id(index, tuple(row[4:7]))
            new_links.setdefault(key, []).append(
                (lon, lat, business_id, row[3], spec, ranks[business_id])
            )
    for key in old_keys:
        band = index.bands.get(key)
        kept: list[Link] = []
        if band is not None:
            kept = [
                (band.lons[i], band.lats[i], band.business_ids[i], band.radii[i], band.specs[i],
                 band.name_ranks[i])
                for i in range(len(band.lons))
                if band.business_ids[i] not in changed
            ]  # fmt: skip
        merged = sorted(kept + new_links.get(key, []), key=lambda link: (link[0], link[2]))
        if merged:
            index.bands[key] = make_band(merged)
        else:
            index.bands.pop(key, None)
    by_business: dict[int, list] = {}
    for business_id, trade_id, starts_at, ends_at in shifts:
        by_business.setdefault(business_id, []).append((trade_id, starts_at, ends_at))
    for business_id in changed:
        found = by_business.get(business_id)
        if found:
            index.shifts[business_id] = tuple(found)
        else:
            index.shifts.pop(business_id, None)
        _set_rank(index, business_id, ranks.get(business_id, -1.0))
    index.listing_fragments = index.listing_fragments.without(changed)
    index.version = version


def _spec_id(index: SearchIndex, hours: tuple) -> int:
    spec = index.spec_ids.get(hours)
    if spec is None:
        index.specs.append(HoursSpec(*hours))  # appended: numbers in use stay valid
        spec = index.spec_ids[hours] = len(index.specs) - 1
    return spec


def _set_rank(index: SearchIndex, business_id: int, rank: float) -> None:
    if rank >= index.rank_ceiling:
        index.rank_ceiling = rank + 1.0
    ranks = index.ranks
    if isinstance(ranks, dict) or business_id < len(ranks):
        ranks[business_id] = rank
    else:
        ranks.extend([-1.0] * (business_id + 1 - len(ranks)))
        ranks[business_id] = rank
