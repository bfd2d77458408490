"""Businesses (Handwerksbetriebe), their trades and their emergency-duty roster shifts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from math import floor

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    and_,
    event,
    false,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from backend.businesses.refs import ref_key_of
from backend.core.types import UTCDateTime, utcnow
from backend.extensions import db
from backend.organisations.models import GuildAssociation
from backend.reference.models import Trade


class Business(db.Model):
    """A craft business listed by a guild association."""

    __tablename__ = "businesses"
    __table_args__ = (
        UniqueConstraint("guild_id", "ref"),
        # What makes refs unique: pr-d1 and PR-D1 are one business (backend.businesses.refs).
        # The exact constraint above stays: dropping it on SQLite would mean copying the
        # table, and its triggers and the keys that point at it with it.
        CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("lon BETWEEN -180 AND 180", name="lon_range"),
        CheckConstraint("service_radius_km > 0", name="radius_positive"),
        # The console's list: a guild's businesses in name order, paged by (name, id).
        Index("ix_businesses_guild_name", "guild_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guild_associations.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    # Compared by code points, as Python compares str: the search orders by (name, id) in
    # memory and in the database alike. SQLite's default BINARY collation does so;
    # PostgreSQL's default follows the locale, hence "C" there.
    name: Mapped[str] = mapped_column(
        String(200).with_variant(String(200, collation="C"), "postgresql")
    )
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(120))
    land: Mapped[str] = mapped_column(String(2))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(20))
    emergency_phone: Mapped[str | None] = mapped_column(String(20))
    mobile: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    service_radius_km: Mapped[float] = mapped_column(Float, default=25.0)
    opening_hours: Mapped[str | None] = mapped_column(String(500))
    emergency_hours: Mapped[str | None] = mapped_column(String(500))
    accepts_new_customers: Mapped[bool] = mapped_column(Boolean, default=True)
    callout_price_eur: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    innungsbetrieb: Mapped[bool] = mapped_column(Boolean, default=False)
    meisterbetrieb: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Out of the public listing until checked: its guild withholds businesses overdue for
    # verification (set by backend.businesses.verification, cleared by a check).
    withheld: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    guild: Mapped[GuildAssociation] = relationship()
    trade_links: Mapped[list[BusinessTrade]] = relationship(
        back_populates="business", cascade="all, delete-orphan", order_by="BusinessTrade.trade_id"
    )

    # Optimistic locking: a stale edit fails instead of silently overwriting a newer one.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy protocol)

    @hybrid_property
    def listed(self) -> bool:
        """Whether residents find the business: active and not withheld.

        The one rule of visibility: the search's statements, its in-memory index and the
        listings all read this expression.
        """
        return self.active and not self.withheld

    @listed.inplace.expression
    @classmethod
    def _listed_expression(cls):
        return and_(cls.active.is_(True), cls.withheld.is_(False))

    @property
    def trades(self) -> list[Trade]:
        """The business's trades, in reference-data order."""
        return [link.trade for link in self.trade_links]

    def set_trades(self, trades: list[Trade]) -> None:
        """Replace the business's trades, keeping unchanged links in place."""
        wanted = {trade.id: trade for trade in trades}
        self.trade_links = [link for link in self.trade_links if link.trade_id in wanted]
        present = {link.trade_id for link in self.trade_links}
        for trade_id, trade in wanted.items():
            if trade_id not in present:
                self.trade_links.append(BusinessTrade(trade=trade, lat=self.lat, lon=self.lon))

    def __repr__(self) -> str:
        return f"<Business {self.ref} {self.name!r}>"


class VerificationPolicy(db.Model):
    """A guild's choice: withhold businesses overdue for verification by more than a grace."""

    __tablename__ = "verification_policies"

    guild_id: Mapped[int] = mapped_column(
        ForeignKey("guild_associations.id", ondelete="CASCADE"), primary_key=True
    )
    withhold_overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    grace_days: Mapped[int] = mapped_column(Integer, default=90)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BusinessTrade(db.Model):
    """Link between a business and one of its trades.

    It carries a copy of the business's coordinates so that the search can find
    "plumbers within this box" from one covering index, without touching the
    businesses table for the (many) rows that lie outside the box. The index
    (``ix_business_trades_trade_cell``, declared below the class) is on
    (trade, latitude band, lon, lat, business): a box is read as one short lon
    range per band instead of a whole band of latitude across the country.
    """

    __tablename__ = "business_trades"

    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True
    )
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id"), primary_key=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)

    business: Mapped[Business] = relationship(back_populates="trade_links")
    trade: Mapped[Trade] = relationship(lazy="joined")


# Latitude bands of 1/20 degree (about 5.6 km): a 1 km box spans one or two bands, the
# largest (150 km) box 55. Changing this needs a migration that recreates the index.
LAT_CELLS_PER_DEGREE = 20


def lat_cell_of(lat: float) -> int:
    """The band of ``lat``, exactly as the database computes ``lat_cell`` (same float ops)."""
    return floor((lat + 90) * LAT_CELLS_PER_DEGREE)


class lat_cell(FunctionElement[int]):
    """SQL: the latitude band of a latitude column, an integer >= 0.

    The index and the search must spell the expression identically, or neither SQLite
    nor PostgreSQL matches the query to the expression index; both use this construct.
    ``lat + 90`` is never negative, so SQLite's CAST (which truncates) is a floor there
    and needs no math functions; PostgreSQL's CAST rounds, hence floor() first.
    """

    type = Integer()
    inherit_cache = True
    name = "lat_cell"


@compiles(lat_cell)
def _lat_cell_floor(element: lat_cell, compiler: SQLCompiler, **kw) -> str:
    (lat,) = element.clauses
    return f"CAST(floor(({compiler.process(lat, **kw)} + 90) * {LAT_CELLS_PER_DEGREE}) AS INTEGER)"


@compiles(lat_cell, "sqlite")
def _lat_cell_sqlite(element: lat_cell, compiler: SQLCompiler, **kw) -> str:
    (lat,) = element.clauses
    return f"CAST(({compiler.process(lat, **kw)} + 90) * {LAT_CELLS_PER_DEGREE} AS INTEGER)"


Index(
    "ix_business_trades_trade_cell",
    BusinessTrade.trade_id,
    lat_cell(BusinessTrade.lat),
    BusinessTrade.lon,
    BusinessTrade.lat,
    BusinessTrade.business_id,
)


# Name order of the businesses: the search index's ranks and their patches (see
# backend.search.index_patch) read neighbours in this order.
Index("ix_businesses_name_order", Business.name, Business.id)

Index("uq_businesses_guild_ref_key", Business.guild_id, ref_key_of(Business.ref), unique=True)


@event.listens_for(Session, "before_flush")
def _copy_coordinates_to_trade_links(session: Session, _flush_context, _instances) -> None:
    """Keep the denormalised coordinates on BusinessTrade equal to the business's."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Business):
            for link in obj.trade_links:
                if link.lat != obj.lat or link.lon != obj.lon:
                    link.lat, link.lon = obj.lat, obj.lon
