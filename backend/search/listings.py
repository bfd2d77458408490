"""Business listings as residents see them (search results and detail pages).

The businesses of a search answer are read with one statement (the listed columns
and the trade ids, one row per trade) on the DB-API cursor, not as ORM objects: a
search lists up to 50 businesses, and building objects with their relationships
cost more than the search itself. Trade slugs come from the in-memory reference catalogue.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select

from backend.businesses.models import Business, BusinessTrade
from backend.businesses.phones import format_national
from backend.extensions import db
from backend.hours import BERLIN
from backend.reference.catalogue import trade_slugs_by_id
from backend.roster.models import RosterShift
from backend.search.query import SearchHit
from backend.search.statements import rows_for_ids

_COLUMNS = (
    Business.id, Business.ref, Business.name, Business.phone, Business.emergency_phone,
    Business.accepts_new_customers, Business.callout_price_eur, Business.innungsbetrieb,
    Business.meisterbetrieb, Business.verified_at, Business.street, Business.postcode,
    Business.city, Business.land, Business.lat, Business.lon, Business.website,
    Business.opening_hours, Business.emergency_hours, Business.listed.label("listed"),
)  # fmt: skip


# A row of the listing statement: the listed columns, then one trade id (or None).
ListingRow = namedtuple("ListingRow", [column.key for column in _COLUMNS] + ["trade_id"])


def listing(row: ListingRow, trades: list[str]) -> dict[str, Any]:
    """A business as listed to residents; the number to call is the emergency line if any.

    ``verified_at`` stays a datetime: the caller formats it (schema dump or ISO string).
    """
    call_number = row.emergency_phone or row.phone
    return {
        "id": row.id,
        "ref": row.ref,
        "name": row.name,
        "trades": trades,
        "phone_e164": call_number,
        "phone_display": format_national(call_number),
        "accepts_new_customers": row.accepts_new_customers,
        "callout_price_eur": (
            float(row.callout_price_eur) if row.callout_price_eur is not None else None
        ),
        "innungsbetrieb": row.innungsbetrieb,
        "meisterbetrieb": row.meisterbetrieb,
        "verified_at": row.verified_at,
        "address": {
            "street": row.street,
            "postcode": row.postcode,
            "city": row.city,
            "land": row.land,
        },
        "lat": row.lat,
        "lon": row.lon,
        "website": row.website,
        "opening_hours": row.opening_hours,
        "emergency_hours": row.emergency_hours,
    }


def load_listings(ids: list[int]) -> dict[int, tuple[ListingRow, list[str]]]:
    """Rows of these businesses (listed or not) with their trade slugs in trade-id order."""
    slugs = trade_slugs_by_id()
    found: dict[int, tuple[ListingRow, list[str]]] = {}
    for values in rows_for_ids(db.session.connection(), _listing_statement, ids):
        row = ListingRow._make(values)
        entry = found.get(row.id)
        if entry is None:
            entry = found[row.id] = (row, [])
        if row.trade_id is not None:
            entry[1].append(slugs[row.trade_id])
    return found


@lru_cache(maxsize=8)
def _listing_statement(size: int) -> Select:
    """The listed columns of up to ``size`` businesses, one row per trade (or one without)."""
    return (
        select(*_COLUMNS, BusinessTrade.trade_id)
        .outerjoin(BusinessTrade, BusinessTrade.business_id == Business.id)
        .where(Business.id.in_([bindparam(f"id_{i}") for i in range(size)]))
        .order_by(Business.id, BusinessTrade.trade_id)
    )


def get_listing(business_id: int) -> dict[str, Any] | None:
    """One listed business (active, not withheld) as a listing, or None."""
    found = load_listings([business_id]).get(business_id)
    if found is None or not found[0].listed:
        return None
    return listing(*found)


def confirmed_duty(
    hits: list[SearchHit], trade_ids: tuple[int, ...], at: datetime
) -> frozenset[int]:
    """Hits on duty at ``at`` through a shift the business confirmed ("Notdienst bestätigt").

    Resolved when the answer is rendered, for the listed hits on duty only (one short
    read, none when no hit is on duty): the search itself stays as it is. The covering
    rule is ``on_duty``'s: a shift of an asked trade with start <= at < end. A write to
    roster_shifts (a confirmation) moves the data version, so no cached answer outlives it.
    """
    on_duty = [hit.business_id for hit in hits if hit.availability.on_duty]
    if not on_duty or not trade_ids:
        return frozenset()
    found = db.session.scalars(
        select(RosterShift.business_id).where(
            RosterShift.business_id.in_(on_duty),
            RosterShift.trade_id.in_(trade_ids),
            RosterShift.starts_at <= at,
            RosterShift.ends_at > at,
            RosterShift.confirmed_at.is_not(None),
        )
    )
    return frozenset(found)


def listed_businesses(
    hits: list[SearchHit], confirmed: frozenset[int] = frozenset()
) -> list[dict[str, Any]]:
    """Hits as listings with distance and availability (datetimes in Berlin time), in order.

    For channels that render HTML, text or PDF; the JSON API renders the same hits from
    its cached fragments (:mod:`backend.search.render_json`). ``confirmed``: the hits
    whose duty is confirmed (:func:`confirmed_duty`).
    """
    rows = load_listings([hit.business_id for hit in hits]) if hits else {}
    results = []
    for hit in hits:
        found = rows.get(hit.business_id)
        if found is None:  # deleted between the search and this read
            continue
        availability = hit.availability
        results.append(
            {
                **listing(*found),
                "duty_confirmed": hit.business_id in confirmed,
                "distance_km": round(hit.distance_km, 2),
                "available": availability.available,
                "available_until": _in_berlin(availability.available_until),
                "next_available": _in_berlin(availability.next_available),
                "on_duty": availability.on_duty,
            }
        )
    return results


def _in_berlin(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(BERLIN)
