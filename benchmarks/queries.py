"""A fixed, seeded mix of realistic searches, usable in-process and over HTTP.

Residents are placed like the businesses (by population, so many searches come
from dense cities; or evenly over the postcodes for the even data set). Emergencies
and single trades are mixed, and so are times: a weekday by day and by night, a
weekend with roster shifts, Christmas (a holiday everywhere) and Epiphany (a holiday
in BW, BY and ST only).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from backend.hours import BERLIN
from backend.reference import catalogue as reference
from backend.search.nearest import SearchQuery
from benchmarks.synthetic import TRADE_WEIGHTS, sampler_for

# Emergencies that have trades to search, weighted by how often residents need them.
EMERGENCY_WEIGHTS = {
    "wasser": 25, "heizung": 15, "strom": 15, "schluessel": 15, "abfluss": 10,
    "dach": 5, "glas": 5, "auto": 5, "kamin": 2, "kuehlung": 3,
}  # fmt: skip
EMERGENCY_SHARE = 0.55
# (label, Berlin wall clock, weight)
TIMES = (
    ("weekday day", datetime(2026, 11, 25, 10, 30), 22),
    ("weekday day", datetime(2026, 11, 26, 14, 15), 18),
    ("weekday night", datetime(2026, 11, 24, 23, 40), 13),
    ("weekday night", datetime(2026, 11, 25, 3, 10), 12),
    ("weekend", datetime(2026, 11, 28, 15, 0), 10),
    ("weekend", datetime(2026, 11, 29, 9, 30), 10),
    ("holiday", datetime(2026, 12, 25, 11, 0), 8),
    ("holiday", datetime(2027, 1, 6, 10, 0), 7),
)
LIMITS = {10: 80, 5: 10, 20: 10}
ANY_SHARE = 0.15  # available=any: closed businesses are listed too
RADIUS_CAP_SHARE = 0.1
RADIUS_CAP_KM = 15.0


@dataclass(frozen=True)
class BenchQuery:
    """One search as a resident's app would send it."""

    lat: float
    lon: float
    subject: str  # "emergency" or "trade"
    slug: str
    at: datetime
    time_label: str
    only_available: bool
    limit: int
    radius_km: float | None

    def path(self) -> str:
        """The request path of this search on ``GET /api/v1/search``."""
        params = {
            "lat": repr(self.lat), "lon": repr(self.lon), self.subject: self.slug,
            "at": self.at.isoformat(), "available": "now" if self.only_available else "any",
            "limit": self.limit,
        }  # fmt: skip
        if self.radius_km is not None:
            params["radius_km"] = self.radius_km
        return "/api/v1/search?" + urlencode(params)

    def search_query(self, trade_ids: dict[str, tuple[int, ...]]) -> SearchQuery:
        """The service-level query; ``trade_ids`` maps each slug as :func:`trade_ids` does."""
        return SearchQuery(
            lat=self.lat, lon=self.lon, trade_ids=trade_ids[f"{self.subject}:{self.slug}"],
            at=self.at, only_available=self.only_available, limit=self.limit,
            radius_km=self.radius_km,
        )  # fmt: skip


def make_queries(count: int, seed: int, spread: str = "population") -> list[BenchQuery]:
    """``count`` reproducible searches drawn from the realistic mix, placed by ``spread``."""
    rng = random.Random(seed)
    sampler = sampler_for(spread, rng)
    queries = []
    for place in sampler.places_for(count):
        lat, lon = sampler.point_near(place)
        if rng.random() < EMERGENCY_SHARE:
            subject, weights = "emergency", EMERGENCY_WEIGHTS
        else:
            subject, weights = "trade", TRADE_WEIGHTS
        slug = rng.choices(list(weights), weights=list(weights.values()))[0]
        label, wall, _ = rng.choices(TIMES, weights=[w for _, _, w in TIMES])[0]
        queries.append(
            BenchQuery(
                lat=lat, lon=lon, subject=subject, slug=slug,
                at=wall.replace(tzinfo=BERLIN), time_label=label,
                only_available=rng.random() >= ANY_SHARE,
                limit=rng.choices(list(LIMITS), weights=list(LIMITS.values()))[0],
                radius_km=RADIUS_CAP_KM if rng.random() < RADIUS_CAP_SHARE else None,
            )
        )  # fmt: skip
    return queries


def trade_ids() -> dict[str, tuple[int, ...]]:
    """Trade ids per "trade:slug" and "emergency:slug", as the API resolves them (app context)."""
    resolved = {f"trade:{slug}": (ref.id,) for slug, ref in reference.trades_by_slug().items()}
    for slug in EMERGENCY_WEIGHTS:
        category = reference.get_emergency(slug)
        resolved[f"emergency:{slug}"] = tuple(trade.id for trade in category.trades)
    return resolved
