"""Business listings as residents see them (search results and detail pages)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.extensions import db
from backend.models import Business, BusinessTrade
from backend.services.hours import BERLIN
from backend.services.phones import format_national
from backend.services.search import SearchHit


def listing(business: Business) -> dict[str, Any]:
    """A business as listed to residents; the number to call is the emergency line if any."""
    call_number = business.emergency_phone or business.phone
    return {
        "id": business.id,
        "ref": business.ref,
        "name": business.name,
        "trades": [link.trade.slug for link in business.trade_links],
        "phone_e164": call_number,
        "phone_display": format_national(call_number),
        "accepts_new_customers": business.accepts_new_customers,
        "callout_price_eur": (
            float(business.callout_price_eur) if business.callout_price_eur is not None else None
        ),
        "innungsbetrieb": business.innungsbetrieb,
        "meisterbetrieb": business.meisterbetrieb,
        "verified_at": business.verified_at,
        "address": {
            "street": business.street,
            "postcode": business.postcode,
            "city": business.city,
            "land": business.land,
        },
        "lat": business.lat,
        "lon": business.lon,
        "website": business.website,
        "opening_hours": business.opening_hours,
        "emergency_hours": business.emergency_hours,
    }


def load_businesses(ids: list[int]) -> dict[int, Business]:
    """Businesses by id with their trades, in one round trip."""
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Business)
        .where(Business.id.in_(ids))
        .options(selectinload(Business.trade_links).joinedload(BusinessTrade.trade))
    )
    return {business.id: business for business in rows}


def serialise_hits(hits: list[SearchHit]) -> list[dict[str, Any]]:
    """Search hits as listings with distance and availability, in hit order."""
    businesses = load_businesses([hit.business_id for hit in hits])
    return [
        {
            **listing(businesses[hit.business_id]),
            "distance_km": round(hit.distance_km, 2),
            **_in_berlin_time(asdict(hit.availability)),
        }
        for hit in hits
    ]


def _in_berlin_time(values: dict[str, Any]) -> dict[str, Any]:
    """Times as Berlin wall-clock with offset, whatever zone they were computed in."""
    return {
        key: value.astimezone(BERLIN) if isinstance(value, datetime) else value
        for key, value in values.items()
    }


def get_listing(business_id: int) -> dict[str, Any] | None:
    """One active business as a listing, or None."""
    business = load_businesses([business_id]).get(business_id)
    if business is None or not business.active:
        return None
    return listing(business)
