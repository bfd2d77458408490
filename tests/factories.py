"""Factories that create rows through the real models (no mocks)."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import select

from backend.businesses.models import Business
from backend.extensions import db
from backend.organisations.models import GuildAssociation
from backend.reference.models import Trade
from backend.roster.models import RosterShift

_refs = itertools.count(1)


def guild(
    slug: str = "harz-bode", name: str = "Kreishandwerkerschaft Harz-Bode"
) -> GuildAssociation:
    """The guild with this slug, created on first use."""
    found = db.session.scalar(select(GuildAssociation).where(GuildAssociation.slug == slug))
    if found is None:
        found = GuildAssociation(slug=slug, name=name)
        db.session.add(found)
        db.session.flush()
    return found


def trade(slug: str) -> Trade:
    """A reference trade by slug."""
    return db.session.scalar(select(Trade).where(Trade.slug == slug))


def business(
    *,
    trades: tuple[str, ...] = ("klempner",),
    lat: float = 51.8958,
    lon: float = 11.0467,
    land: str = "ST",
    commit: bool = True,
    **fields,
) -> Business:
    """A business with sensible defaults; keyword arguments override any column."""
    n = next(_refs)
    values = {
        "ref": f"T-{n:05d}",
        "name": f"Testbetrieb {n:05d}",
        "phone": "+4939411234567",
        "service_radius_km": 30.0,
        "opening_hours": "Mo-Fr 08:00-17:00; PH off",
        "postcode": "38820",
        "city": "Halberstadt",
    }
    values.update(fields)
    created = Business(guild=guild(), lat=lat, lon=lon, land=land, **values)
    created.set_trades([trade(slug) for slug in trades])
    db.session.add(created)
    if commit:
        db.session.commit()
    return created


def shift(business: Business, trade_slug: str, start: datetime, end: datetime) -> RosterShift:
    """A roster shift for one of the business's trades."""
    created = RosterShift(business=business, trade=trade(trade_slug), starts_at=start, ends_at=end)
    db.session.add(created)
    db.session.commit()
    return created
