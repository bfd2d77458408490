"""The search data version: one counter that database triggers move on with every write.

Migrations 0004 and 0013 install the triggers on ``businesses``, ``business_trades``
and ``roster_shifts``; they update this row and log the changed businesses
(``search_changes``) in the same transaction as the write, so a committed change and
its new version become visible together, whoever writes (the app, an import, a SQL
console). This one version drives every cache of the search: the in-memory index is
used only at the current version (and patched to it from the log, see
:mod:`backend.search.index_patch`), and answers in Redis are served only at the
version they were computed at (:mod:`backend.search.answer_cache`).

The counter starts from the clock (microseconds) when the table is created, so a
re-created table never repeats a version a running process has seen. A restored
backup can: restart the servers after a restore.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Connection,
    DateTime,
    Float,
    Index,
    Integer,
    Select,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.driver_statements import fetch_rows
from backend.extensions import db

# The tables whose writes move the version on (the rows a search reads).
VERSIONED_TABLES = ("businesses", "business_trades", "roster_shifts")


class SearchDataVersion(db.Model):
    """The single row (id 1) holding the version of the data the search reads."""

    __tablename__ = "search_data_version"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    # The change log holds every change with a version above this (older rows pruned).
    changes_from: Mapped[int | None] = mapped_column(BigInteger)


class SearchChange(db.Model):
    """One business changed at ``version`` (written by the triggers of migration 0013).

    Rows of trade links also carry the trade and the latitude of the old or new link;
    a row without a business (a TRUNCATE) means everything changed.
    """

    __tablename__ = "search_changes"
    __table_args__ = (Index("ix_search_changes_version", "version"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    version: Mapped[int] = mapped_column(BigInteger)
    business_id: Mapped[int | None] = mapped_column(Integer)
    trade_id: Mapped[int | None] = mapped_column(Integer)
    lat: Mapped[float | None] = mapped_column(Float)
    at: Mapped[datetime | None] = mapped_column(DateTime, server_default=func.current_timestamp())


def businesses_changed_since(connection: Connection, version: int, ids: list[int]) -> set[int]:
    """Those of ``ids`` that a write committed after data ``version`` changed (any writer)."""
    changed: set[int] = set()
    for start in range(0, len(ids), 500):
        changed.update(
            connection.scalars(
                select(SearchChange.business_id).where(
                    SearchChange.version > version,
                    SearchChange.business_id.in_(ids[start : start + 500]),
                )
            )
        )
    return changed


def bump_search_data_version() -> None:
    """Move the version on in the session's transaction, for a change no trigger sees.

    For settings that change search answers without touching the searched rows (a
    guild's listing order): every cached answer from before is then out of date. The
    change log gets no row; the in-memory index has nothing to patch.
    """
    db.session.execute(
        update(SearchDataVersion)
        .where(SearchDataVersion.id == literal_column("1"))
        .values(version=SearchDataVersion.version + 1)
    )


def read_data_version(connection: Connection) -> int | None:
    """The database's search data version (None if its row is missing)."""
    rows = fetch_rows(connection, _version_statement(), {})
    return rows[0][0] if rows else None


@lru_cache(maxsize=1)
def _version_statement() -> Select:
    return select(SearchDataVersion.version).where(SearchDataVersion.id == literal_column("1"))
