"""The search data version: one counter that database triggers move on with every write.

Migration 0004 installs the triggers on ``businesses``, ``business_trades`` and
``roster_shifts``; they update this row in the same transaction as the write, so a
committed change and its new version become visible together, whoever writes (the
app, an import, a SQL console). The in-memory search index is used only while it
was built at the current version (see :mod:`backend.search.index`).

The counter starts from the clock (microseconds) when the table is created, so a
re-created table never repeats a version a running process has seen. A restored
backup can: restart the servers after a restore.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Float, Index, Integer, func
from sqlalchemy.orm import Mapped, mapped_column

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
    """One business changed at ``version`` (written by the triggers of migration 0006).

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
