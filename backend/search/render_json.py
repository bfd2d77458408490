"""The search result as the JSON bytes of ``GET /api/v1/search`` (``SearchOut`` documents it).

The answer is built as JSON-ready values, without a schema pass (the tests hold the two
together): listings already rendered for the index's data version are spliced in as text.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from backend.hours import BERLIN
from backend.search.listing_fragments import ListingFragments
from backend.search.listings import confirmed_duty, listing, load_listings
from backend.search.operation import SearchResult
from backend.search.query import SearchHit


def search_result_json(result: SearchResult) -> bytes:
    """The whole answer: location, subject, safety advice, then the results."""
    location = result.location
    head = {
        "location": {
            "lat": location.lat,
            "lon": location.lon,
            "resolved_by": location.resolved_by,
            "label": location.label,
            "postcode": location.postcode,
            "land": location.land,
        },
        "at": result.at.isoformat(),
        "emergency": result.category.slug if result.category else None,
        "trades": [trade.slug for trade in result.trades],
        "safety": result.safety,
        "count": len(result.hits),
    }
    # The results come last, as JSON text: their listings may be rendered already.
    confirmed = confirmed_duty(result.hits, tuple(trade.id for trade in result.trades), result.at)
    results = search_results_json(result.hits, result.answer.listing_fragments, confirmed)
    return f'{encode_json(head)[:-1]},"results":{results}}}\n'.encode()


def search_results_json(
    hits: list[SearchHit],
    fragments: ListingFragments | None,
    confirmed: frozenset[int] = frozenset(),
) -> str:
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
            "duty_confirmed": hit.business_id in confirmed,
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
