"""Business listings as residents see them (search results and detail pages).

The businesses of a search answer are read with one statement (the listed columns
and the trade ids, one row per trade) on the DB-API cursor, not as ORM objects: a
search lists up to 50 businesses, and building objects with their relationships
cost more than the search itself. Trade slugs come from the in-memory reference catalogue.
"""

from __future__ import annotations

import json
from collections import namedtuple
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select

from backend.businesses.models import Business, BusinessTrade
from backend.businesses.phones import format_national
from backend.core.driver_statements import fetch_rows
from backend.extensions import db
from backend.hours import BERLIN
from backend.reference.catalogue import trade_slugs_by_id
from backend.search.listing_fragments import ListingFragments
from backend.search.query import SearchHit
from backend.search.statements import padded_ids

# Ids are bound as fixed-size parameter lists (padded with -1), so few statements exist.
ID_BATCH_SIZES = (1, 16, 64)

_COLUMNS = (
    Business.id, Business.ref, Business.name, Business.phone, Business.emergency_phone,
    Business.accepts_new_customers, Business.callout_price_eur, Business.innungsbetrieb,
    Business.meisterbetrieb, Business.verified_at, Business.street, Business.postcode,
    Business.city, Business.land, Business.lat, Business.lon, Business.website,
    Business.opening_hours, Business.emergency_hours, Business.active,
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
    """Rows of these businesses (active or not) with their trade slugs in trade-id order."""
    slugs = trade_slugs_by_id()
    found: dict[int, tuple[ListingRow, list[str]]] = {}
    connection = db.session.connection()
    for start in range(0, len(ids), ID_BATCH_SIZES[-1]):
        chunk = ids[start : start + ID_BATCH_SIZES[-1]]
        size = next(size for size in ID_BATCH_SIZES if size >= len(chunk))
        # On the DB-API cursor, types still converted: a Row per row cost more than the read.
        for values in fetch_rows(connection, _listing_statement(size), padded_ids(chunk, size)):
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


def search_results_json(hits: list[SearchHit], fragments: ListingFragments | None) -> str:
    """Search hits as the JSON array ``SearchResultOut`` describes, in hit order.

    Each result is the business's listing (taken from ``fragments`` when rendered
    before, else read and rendered) followed by the distance and availability. Every
    value is already what the schema would dump (times as ISO 8601 strings,
    availability in Berlin time), so the answer needs no schema pass.
    """
    known = (
        {}
        if fragments is None
        else {hit.business_id: fragments.get(hit.business_id) for hit in hits}
    )
    missing = [hit.business_id for hit in hits if known.get(hit.business_id) is None]
    for business_id, (row, trades) in load_listings(missing).items() if missing else ():
        result = listing(row, trades)
        result["verified_at"] = _iso(row.verified_at)
        known[business_id] = fragment = encode_json(result)[1:-1]
        if fragments is not None:
            fragments.put(business_id, fragment)
    results = []
    for hit in hits:
        availability = hit.availability
        found = {
            "distance_km": round(hit.distance_km, 2),
            "available": availability.available,
            "available_until": _berlin_iso(availability.available_until),
            "next_available": _berlin_iso(availability.next_available),
            "on_duty": availability.on_duty,
        }
        results.append(f"{{{known[hit.business_id]},{encode_json(found)[1:]}")
    return f"[{','.join(results)}]"


def encode_json(value: Any) -> str:
    """Compact JSON, UTF-8 characters as they are (the API answers in UTF-8)."""
    return _ENCODER.encode(value)


# One encoder: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _berlin_iso(value: datetime | None) -> str | None:
    """Berlin wall-clock time with offset, whatever zone the value was computed in."""
    return None if value is None else value.astimezone(BERLIN).isoformat()


def get_listing(business_id: int) -> dict[str, Any] | None:
    """One active business as a listing, or None."""
    found = load_listings([business_id]).get(business_id)
    if found is None or not found[0].active:
        return None
    return listing(*found)
