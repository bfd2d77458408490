"""Reference data: trades (Gewerke) and emergency categories, loaded by a migration.

Slugs appear in URLs that city editors paste into their portals: never change them.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db

emergency_trades = Table(
    "emergency_trades",
    db.metadata,
    Column("emergency_id", ForeignKey("emergency_categories.id"), primary_key=True),
    Column("trade_id", ForeignKey("trades.id"), primary_key=True),
)


class Trade(db.Model):
    """A Gewerk of the Handwerksordnung, e.g. ``klempner``."""

    __tablename__ = "trades"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_de: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<Trade {self.slug}>"


class EmergencyCategory(db.Model):
    """What a resident sees on the start screen, e.g. ``wasser`` (burst pipe).

    ``safety_level`` is ``none``, ``safety_first`` (advice before tradespeople) or
    ``advice_only`` (no tradesperson at all, e.g. gas smell).
    """

    __tablename__ = "emergency_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    label_de: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    icon: Mapped[str] = mapped_column(String(32))
    safety_level: Mapped[str] = mapped_column(String(16), default="none")
    advice_de: Mapped[str | None] = mapped_column(Text)
    advice_en: Mapped[str | None] = mapped_column(Text)
    first_call: Mapped[str | None] = mapped_column(String(16))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    trades: Mapped[list[Trade]] = relationship(secondary=emergency_trades, order_by=Trade.id)

    def __repr__(self) -> str:
        return f"<EmergencyCategory {self.slug}>"
