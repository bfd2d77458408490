"""The one search operation every channel calls: JSON API, widget HTML, SMS text, PDF.

Given where (a position, a postcode or a place name), what (an emergency category or a
trade), when and how many, :func:`find_help` resolves the location and the subject,
finds the nearest businesses that can help and returns a :class:`SearchResult`. Each
channel renders that result in its own way (:mod:`backend.search.render_json` for the
API, :func:`listed_results` for anything that wants plain dictionaries); none resolves
places or builds queries itself.

It never reads ``flask.request``: a view, a CLI command, a queue job and a test call it
alike. It reads the application's configuration for the service-radius bound and the
availability look-ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from flask import current_app

from backend.calls.reachability import demoted_among
from backend.geo.locations import ResolvedLocation, resolve_location
from backend.hours import BERLIN
from backend.reference.catalogue import EmergencyRef, TradeRef, get_emergency, get_trade
from backend.search.listings import confirmed_duty, listed_businesses
from backend.search.nearest import search_businesses
from backend.search.query import SearchAnswer, SearchHit, SearchQuery

__all__ = ["SearchRequest", "SearchResult", "find_help", "listed_results", "this_minute"]


@dataclass(frozen=True)
class SearchRequest:
    """What a resident asks, in plain values: exactly one location and one subject.

    ``at`` is an aware datetime or None for the current minute; ``available`` is
    ``"now"`` (only who can help at ``at``) or ``"any"``.
    """

    lat: float | None = None
    lon: float | None = None
    postcode: str | None = None
    place: str | None = None
    emergency: str | None = None
    trade: str | None = None
    at: datetime | None = None
    available: Literal["now", "any"] = "now"
    limit: int = 10
    radius_km: float | None = None

    def moment(self) -> datetime:
        """The instant searched for, in Berlin time."""
        return (self.at or this_minute()).astimezone(BERLIN)


@dataclass(frozen=True)
class SearchResult:
    """The resolved location, the subject with its safety advice, and the hits."""

    location: ResolvedLocation
    at: datetime
    category: EmergencyRef | None
    trades: tuple[TradeRef, ...]
    answer: SearchAnswer = field(default_factory=lambda: SearchAnswer([]))
    # The order depends on residents' call answers (a guild lists hard-to-reach businesses
    # last): those are not searched data, so such an answer must not be kept in a cache.
    ordered_by_call_answers: bool = False

    @property
    def hits(self) -> list[SearchHit]:
        """The businesses found, nearest first (hard-to-reach ones last if their guild chose)."""
        return self.answer.hits

    @property
    def safety(self) -> dict[str, Any] | None:
        """Safety-first advice of the emergency category (shown before any business)."""
        return self.category.safety if self.category else None


def this_minute() -> datetime:
    """Now without seconds: a search without ``at`` is made for the current minute."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def find_help(request: SearchRequest) -> SearchResult:
    """Resolve ``request`` and find the nearest businesses that can help.

    Raises :class:`~backend.reference.catalogue.UnknownSlug` for an unknown emergency or
    trade and :class:`~backend.geo.locations.LocationError` for a location that cannot
    be resolved; every channel turns them into its own error message.
    """
    at = request.moment()
    if request.emergency is not None:
        category: EmergencyRef | None = get_emergency(request.emergency)
        trades = category.trades
    else:
        category, trades = None, (get_trade(request.trade or ""),)
    location = resolve_location(
        lat=request.lat, lon=request.lon, postcode=request.postcode, place=request.place
    )
    result = SearchResult(location, at, category, trades)
    if not trades:  # advice only (gasgeruch)
        return result
    config = current_app.config
    query = SearchQuery(
        lat=location.lat,
        lon=location.lon,
        trade_ids=tuple(trade.id for trade in trades),
        at=at,
        only_available=request.available == "now",
        limit=request.limit,
        radius_km=request.radius_km,
    )
    answer = search_businesses(
        query,
        max_service_radius_km=config["MAX_SERVICE_RADIUS_KM"],
        lookahead=timedelta(days=config["AVAILABILITY_LOOKAHEAD_DAYS"]),
    )
    demoted = demoted_among([hit.business_id for hit in answer.hits])
    return SearchResult(
        location, at, category, trades, reachable_first(answer, demoted), demoted is not None
    )


def reachable_first(answer: SearchAnswer, demoted: set[int] | None) -> SearchAnswer:
    """The hits with the ``demoted`` (hard-to-reach) businesses last.

    The one ordering rule after the hits are found, so every channel lists alike; the
    order stays nearest first within each part (the sort is stable).
    """
    if not demoted:
        return answer
    return replace(answer, hits=sorted(answer.hits, key=lambda hit: hit.business_id in demoted))


def listed_results(result: SearchResult) -> list[dict[str, Any]]:
    """The hits as plain dictionaries (listing, distance, availability), for HTML, text, PDF."""
    trade_ids = tuple(trade.id for trade in result.trades)
    return listed_businesses(result.hits, confirmed_duty(result.hits, trade_ids, result.at))
