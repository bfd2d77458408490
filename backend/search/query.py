"""The search's plain values: the query, the candidates it chooses, the hits it answers.

No request objects: a view, a CLI command, a benchmark or a test builds them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.hours.availability import Availability, HoursSpec
from backend.search.listing_fragments import ListingFragments


@dataclass(frozen=True)
class SearchQuery:
    """A validated search: plain values, no request objects."""

    lat: float
    lon: float
    trade_ids: tuple[int, ...]
    at: datetime
    only_available: bool = True
    limit: int = 10
    radius_km: float | None = None


@dataclass(frozen=True)
class SearchHit:
    """One business in the answer, nearest first."""

    business_id: int
    distance_km: float
    availability: Availability


@dataclass(frozen=True)
class Candidate:
    """A business chosen for the answer, before its full availability is described."""

    business_id: int
    distance_km: float
    spec: HoursSpec


@dataclass(frozen=True)
class SearchAnswer:
    """The hits, and the rendered listings of the data version they were found in (if kept)."""

    hits: list[SearchHit]
    listing_fragments: ListingFragments | None = None
