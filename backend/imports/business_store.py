"""Reading and writing a guild's businesses in bulk: a few Core statements, no ORM objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from backend.businesses.models import Business, BusinessTrade
from backend.businesses.refs import ref_key, ref_key_of
from backend.core.types import utcnow
from backend.extensions import db
from backend.imports.business_fields import FIELDS, BusinessRow, StoredBusiness

WRITE_BATCH = 5000  # rows per executemany
READ_BATCH = 500  # refs per IN list
# Above this many new businesses their ids are read in one scan of the guild.
SCAN_ABOVE = 5000


class ImportConflict(RuntimeError):
    """Businesses changed in the database while the import ran; nothing was written."""


def load_stored(guild_id: int, refs: Iterable[str]) -> dict[str, StoredBusiness]:
    """The guild's businesses with these refs, by :func:`ref_key`, with their trade ids.

    Read by ref from the unique (guild, ref key) index, a batch of refs at a time: an
    import costs what its file holds, not what the guild holds.
    """
    table = Business.__table__
    links = BusinessTrade.__table__
    columns = [table.c.id, table.c.version, *(table.c[name] for name in FIELDS)]
    stored: dict[str, StoredBusiness] = {}
    for batch in _chunks(sorted({ref_key(ref) for ref in refs}), READ_BATCH):
        by_id: dict[int, StoredBusiness] = {}
        rows = db.session.execute(
            select(*columns).where(table.c.guild_id == guild_id, ref_key_of(table.c.ref).in_(batch))
        )
        for row in rows:
            values = dict(zip(FIELDS, row[2:], strict=True))
            stored[ref_key(values["ref"])] = by_id[row[0]] = StoredBusiness(
                row[0], row[1], values, frozenset()
            )
        if not by_id:
            continue
        trade_ids: dict[int, set[int]] = {}
        for business_id, trade_id in db.session.execute(
            select(links.c.business_id, links.c.trade_id).where(
                links.c.business_id.in_(list(by_id))
            )
        ):
            trade_ids.setdefault(business_id, set()).add(trade_id)
        for business_id, ids in trade_ids.items():
            by_id[business_id].trade_ids = frozenset(ids)
    return stored


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_businesses(
    guild_id: int,
    created: list[BusinessRow],
    updated: list[tuple[BusinessRow, StoredBusiness]],
) -> None:
    """Insert new and update changed businesses (with the stored ones), and their trade links.

    Plain executemany in batches: INSERT ... RETURNING would make SQLAlchemy render
    multi-row VALUES statements that psycopg 3 re-parses in Python (5x slower on
    PostgreSQL), and batches keep the parameter lists small. Raises
    :class:`ImportConflict` when a stored business changed since it was loaded.
    """
    now = utcnow()
    _insert_businesses(guild_id, created, now)
    for batch in _chunks(updated, WRITE_BATCH):
        _update_businesses(batch, now)


def _insert_businesses(guild_id: int, created: list[BusinessRow], now: datetime) -> None:
    table = Business.__table__
    new_fields = {"guild_id": guild_id, "version": 1, "active": True}
    for batch in _chunks(created, WRITE_BATCH):
        db.session.execute(
            insert(table),
            [{**row.values, **new_fields, "created_at": now, "updated_at": now} for row in batch],
        )
    if not created:
        return
    refs = [row.values["ref"] for row in created]
    if len(created) > SCAN_ABOVE:
        # One scan of the guild: "ref IN (...)" lists are slow on a table without fresh
        # planner statistics, which is exactly the state after a big insert.
        ids = dict(
            db.session.execute(
                select(table.c.ref, table.c.id).where(table.c.guild_id == guild_id)
            ).all()
        )
    else:  # a few new businesses: their ids by ref, not the whole guild
        ids = {}
        for batch in _chunks(refs, READ_BATCH):
            ids.update(
                db.session.execute(
                    select(table.c.ref, table.c.id).where(
                        table.c.guild_id == guild_id, table.c.ref.in_(batch)
                    )
                ).all()
            )
    for batch in _chunks(created, WRITE_BATCH):
        _insert_links([(ids[row.values["ref"]], row) for row in batch])


def _update_businesses(batch: list[tuple[BusinessRow, StoredBusiness]], now: datetime) -> None:
    """Update businesses whose version is still the stored one; relink the moved or retraded."""
    table = Business.__table__
    links = BusinessTrade.__table__
    statement = update(table).where(
        table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version")
    )
    params = [
        {
            **row.values,
            "b_id": stored.id,
            "b_version": stored.version,
            "version": stored.version + 1,
            "updated_at": now,
        }
        for row, stored in batch
    ]
    result = db.session.execute(statement, params)
    check_rowcount = db.session.get_bind().dialect.supports_sane_multi_rowcount
    if check_rowcount and result.rowcount != len(params):
        raise ImportConflict(
            "some businesses were changed by someone else while the import ran; "
            "nothing was written, please import again"
        )
    # Trade links carry the business's coordinates: replace them when either changed.
    relinked = [
        (stored.id, row)
        for row, stored in batch
        if row.trade_ids != stored.trade_ids or _point(row.values) != _point(stored.values)
    ]
    for ids in _chunks([business_id for business_id, _ in relinked]):
        db.session.execute(delete(links).where(links.c.business_id.in_(ids)))
    _insert_links(relinked)


def _insert_links(rows: list[tuple[int, BusinessRow]]) -> None:
    """Insert the trade links of businesses (by id), with a copy of their coordinates."""
    params = [
        {"business_id": business_id, "trade_id": trade_id, **_point(row.values)}
        for business_id, row in rows
        for trade_id in row.trade_ids
    ]
    if params:
        db.session.execute(insert(BusinessTrade.__table__), params)


def _point(values: dict[str, Any]) -> dict[str, float]:
    return {"lat": values["lat"], "lon": values["lon"]}
