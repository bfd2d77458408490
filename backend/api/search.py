"""``GET /api/v1/search``: thin view over :func:`search_businesses`.

The answer is built as JSON-ready values (no schema pass; ``SearchOut`` documents it
and the tests hold the two together) and may come from the shared answer cache.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import RAISE

from backend.api.caching import cache_for
from backend.api.problems import raise_location_problem, raise_unknown_slug
from backend.geo.locations import LocationError, resolve_location
from backend.hours import BERLIN
from backend.reference import catalogue as reference
from backend.reference.catalogue import TradeRef, UnknownSlug
from backend.search import answer_cache
from backend.search.listings import encode_json, search_results_json
from backend.search.nearest import SearchAnswer, SearchQuery, search_businesses
from backend.search.schemas import SearchArgs, SearchOut

blp = Blueprint("search", __name__, description="Find businesses that can help")


@blp.route("/search")
@cache_for(0)
# An instance: webargs would build (deep-copy) a schema per request from the class.
@blp.arguments(SearchArgs(), location="query", as_kwargs=True, unknown=RAISE)
@blp.response(200, SearchOut)
@blp.alt_response(422, description="Invalid parameter (problem+json naming it)")
def search(**args):
    """Nearest businesses that can help at a given time, nearest first.

    Without `at` the search is made for the current minute (seconds dropped). Answers
    may be shared between residents for a short while (a minute by default), but never
    after the listed data changed.
    """
    at = (args.get("at") or this_minute()).astimezone(BERLIN)
    body = answer_cache.cached_answer(answer_key(args, at), lambda: _answer(args, at))
    return current_app.response_class(body, mimetype=current_app.json.mimetype)


def this_minute() -> datetime:
    """Now without seconds: a search without ``at`` is made for the current minute."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def answer_key(args: dict[str, Any], at: datetime) -> str:
    """The validated query in one canonical string: equal exactly for equal answers.

    ``at`` counts as the instant (UTC), since the answer shows it in Berlin time anyway.
    """
    return json.dumps(
        [
            args.get("lat"), args.get("lon"), args.get("postcode"), args.get("place"),
            args.get("emergency"), args.get("trade"), at.astimezone(UTC).isoformat(),
            args["available"], args["limit"], args.get("radius_km"),
        ],
        ensure_ascii=False,
    )  # fmt: skip


def _answer(args: dict[str, Any], at: datetime) -> bytes:
    """The answer as the JSON bytes that ``SearchOut`` describes."""
    try:
        trades, category = _subject(args)
        location = resolve_location(
            lat=args.get("lat"), lon=args.get("lon"), postcode=args.get("postcode"),
            place=args.get("place"),
        )  # fmt: skip
    except UnknownSlug as exc:
        raise_unknown_slug(exc)
    except LocationError as exc:
        raise_location_problem(exc)
    answer = SearchAnswer([])
    if trades:
        query = SearchQuery(
            lat=location.lat,
            lon=location.lon,
            trade_ids=tuple(trade.id for trade in trades),
            at=at,
            only_available=args["available"] == "now",
            limit=args["limit"],
            radius_km=args.get("radius_km"),
        )
        answer = search_businesses(
            query,
            max_service_radius_km=current_app.config["MAX_SERVICE_RADIUS_KM"],
            lookahead=timedelta(days=current_app.config["AVAILABILITY_LOOKAHEAD_DAYS"]),
        )
    head = {
        "location": {
            "lat": location.lat,
            "lon": location.lon,
            "resolved_by": location.resolved_by,
            "label": location.label,
            "postcode": location.postcode,
            "land": location.land,
        },
        "at": at.isoformat(),
        "emergency": category.slug if category else None,
        "trades": [trade.slug for trade in trades],
        "safety": category.safety if category else None,
        "count": len(answer.hits),
    }
    # The results come last, as JSON text: their listings may be rendered already.
    results = search_results_json(answer.hits, answer.listing_fragments)
    return f'{encode_json(head)[:-1]},"results":{results}}}\n'.encode()


def _subject(args: dict) -> tuple[tuple[TradeRef, ...], reference.EmergencyRef | None]:
    """Trades to search and the emergency category, if one was asked."""
    if "emergency" in args:
        category = reference.get_emergency(args["emergency"])
        return category.trades, category
    return (reference.get_trade(args["trade"]),), None
