"""Searches that found nobody available: counted anonymously per week, city, subject, channel.

The search view calls :func:`note_unanswered` after the search (only answers computed,
not those served from the shared cache, are counted). A search counts for every
partner city whose coverage distance includes the searched location. Nothing of the
person, the exact place or the time of day is kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backend.extensions import db
from backend.geo.distance import distances_from
from backend.hours import BERLIN
from backend.organisations.models import PartnerCity
from backend.roster.models import UnansweredSearch
from backend.search.operation import SearchResult

KEY = ("week", "city", "subject", "channel")


def note_unanswered(result: SearchResult, channel: str = "api") -> int:
    """Count ``result`` if nobody could help at its time; returns the cities counted."""
    if not result.trades or any(hit.availability.available for hit in result.hits):
        return 0
    subject = result.category.slug if result.category else result.trades[0].slug
    local = result.at.astimezone(BERLIN).date()
    week = local - timedelta(days=local.weekday())
    distance_km = distances_from(result.location.lat, result.location.lon)
    cities = [
        slug
        for slug, lat, lon, reach in db.session.execute(
            select(
                PartnerCity.slug, PartnerCity.lat, PartnerCity.lon, PartnerCity.coverage_km
            ).where(PartnerCity.active.is_(True))
        )
        if distance_km(lat, lon) <= reach
    ]
    insert = sqlite_insert if db.session.get_bind().dialect.name == "sqlite" else postgresql_insert
    for city in cities:
        statement = insert(UnansweredSearch).values(
            week=week, city=city, subject=subject, channel=channel, count=1
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=list(KEY), set_={"count": UnansweredSearch.count + 1}
            )
        )
    return len(cities)


def unanswered_rows(start: datetime, end: datetime) -> list[tuple]:
    """(ISO week, city, subject, channel, count) of the weeks starting in [start, end)."""
    first = start.astimezone(BERLIN).date() - timedelta(days=6)
    last = end.astimezone(BERLIN).date()
    columns = [getattr(UnansweredSearch, name) for name in KEY]
    rows = db.session.execute(
        select(*columns, UnansweredSearch.count)
        .where(UnansweredSearch.week >= first, UnansweredSearch.week < last)
        .order_by(*columns)
    )
    return [
        (f"{week.isocalendar()[0]}-W{week.isocalendar()[1]:02d}", city, subject, channel, count)
        for week, city, subject, channel, count in rows
    ]
