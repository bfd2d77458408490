"""Export of a guild's businesses in the import format, so that importing it changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from sqlalchemy import select

from backend.businesses.models import Business, BusinessTrade
from backend.businesses.validation import TRADE_SEPARATOR
from backend.extensions import db
from backend.imports.business_fields import COLUMNS
from backend.imports.cells import to_text
from backend.imports.csv_write import write_csv
from backend.organisations.operations import get_guild
from backend.reference.models import Trade


def _trade_slugs(guild_id: int) -> dict[int, list[str]]:
    """The trade slugs of each business of the guild, in the trades' display order."""
    table = Business.__table__
    links = BusinessTrade.__table__
    trades = Trade.__table__
    slugs: dict[int, list[str]] = {}
    for business_id, slug in db.session.execute(
        select(links.c.business_id, trades.c.slug)
        .join(trades, trades.c.id == links.c.trade_id)
        .join(table, table.c.id == links.c.business_id)
        .where(table.c.guild_id == guild_id)
        .order_by(links.c.business_id, trades.c.sort_order, trades.c.id)
    ):
        slugs.setdefault(business_id, []).append(slug)
    return slugs


def export_businesses_csv(guild_slug: str, stream: IO[str], *, excel: bool = False) -> int:
    """Write the guild's businesses in the import format, ordered by ref; returns the count.

    Phones are written in E.164, yes/no as ``ja``/``nein``, decimals with a point, so that
    importing the file again changes nothing (cells neutralised against formulas are read
    back as they were). ``excel``: BOM and ``;`` (see :func:`~backend.imports.csv_write.write_csv`).
    """
    guild = get_guild(guild_slug)
    slugs = _trade_slugs(guild.id)
    table = Business.__table__
    exported = [name for name in COLUMNS if name != "trades"]
    query = (
        select(table.c.id, *(table.c[name] for name in exported))
        .where(table.c.guild_id == guild.id)
        .order_by(table.c.ref)
    )

    def rows() -> Iterator[dict[str, str]]:
        for business_id, *values in db.session.execute(query):
            row = {name: to_text(value) for name, value in zip(exported, values, strict=True)}
            row["trades"] = TRADE_SEPARATOR.join(slugs.get(business_id, []))
            yield row

    return write_csv(stream, COLUMNS, rows(), excel=excel)
