"""Synthetic businesses spread over Germany, as plain rows.

Two spreads:

- ``population``: each business sits in a gazetteer place drawn with probability
  proportional to the population, jittered by a distance that grows with the town's
  size (a few hundred metres in a village, several kilometres in Berlin);
- ``even``: each business sits near a postcode drawn uniformly from all German
  postcodes, with service radii spread evenly over 5-50 km: the nationwide set on
  which the search was first found slow, with no dense city to favour a structure.

Everything is derived from one seed, so a data set is reproducible from (spread,
size, seed).
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from backend.demo.region import (
    BERLIN,
    FICTIONAL_NUMBER_BLOCKS,
    SURNAMES,
    TRADE_COMBINATIONS,
    TRADE_WORDS,
)
from backend.geo.gazetteer import DATA_DIR

# Bump when the generated rows change, so that cached databases are rebuilt.
GENERATOR_VERSION = 1

# How common each trade is among businesses (relative weights).
TRADE_WEIGHTS = {
    "installateur-heizungsbauer": 16, "klempner": 5, "elektrotechniker": 18, "dachdecker": 8,
    "zimmerer": 6, "glaser": 4, "tischler": 10, "metallbauer": 8, "kfz-techniker": 14,
    "schornsteinfeger": 4, "kaelteanlagenbauer": 3, "rollladen-sonnenschutztechniker": 4,
}  # fmt: skip
SECOND_TRADE_SHARE = 0.35

# Realistic hour patterns, with PH rules, lunch breaks, midnight-crossing spans and 24/7.
OPENING_HOURS = {
    "Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off": 20,
    "Mo-Fr 07:30-16:30; PH off": 20,
    "Mo-Th 07:00-16:00; Fr 07:00-13:00; PH off": 15,
    "Mo-Fr 08:00-18:00; Sa 09:00-13:00; PH off": 15,
    "Mo-Fr 07:00-12:00,13:00-17:00; PH off": 10,
    "Mo-Fr 08:00-18:00; We 12:00-14:00 off; PH off": 5,
    "Mo-Sa 07:00-19:00; PH off": 5,
    "Mo-Fr 06:00-22:00; Sa,Su,PH 08:00-20:00": 3,
    "24/7": 2,
    None: 5,  # no published opening hours
}
EMERGENCY_HOURS = {
    "24/7": 35,
    "Mo-Fr 17:00-22:00; Sa,Su,PH 08:00-20:00": 25,
    "Mo-Su 06:00-22:00": 15,
    "Mo-Fr 18:00-07:00; Sa,Su,PH 00:00-24:00": 15,
    "Sa,Su,PH 08:00-18:00": 10,
}
EMERGENCY_SHARE = 0.35
SERVICE_RADII_KM = {10.0: 10, 15.0: 15, 20.0: 20, 25.0: 25, 30.0: 12, 40.0: 10, 50.0: 5, 60.0: 3}
EVEN_SERVICE_RADII_KM = {float(km): 1 for km in range(5, 51, 5)}
SPREADS = ("population", "even")
# The jitter around a postcode's centre in the even spread.
EVEN_SIGMA_KM = 2.0
INACTIVE_SHARE = 0.02

# Roster shifts (Berlin wall clock): a weekend, Christmas, and Epiphany (a holiday in BW,
# BY and ST only). Each business-trade link is on duty in a period with this probability.
SHIFT_PERIODS = (
    (datetime(2026, 11, 27, 18, 0), datetime(2026, 11, 30, 7, 0)),
    (datetime(2026, 12, 24, 18, 0), datetime(2026, 12, 27, 7, 0)),
    (datetime(2027, 1, 5, 18, 0), datetime(2027, 1, 7, 7, 0)),
)
SHIFT_SHARE = 0.03

STREETS = ("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Am Markt", "Industriestraße")
LEGAL_FORMS = ("", "", "", " GmbH", " e.K.", " & Sohn", " GmbH & Co. KG")
_CREATED = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
_VERIFIED = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
_KM_PER_DEGREE = 111.195


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer place as the generator needs it."""

    name: str
    postcode: str
    land: str
    lat: float
    lon: float
    population: int


@dataclass
class Batch:
    """Rows for the three tables, ready for a Core ``executemany``."""

    businesses: list[dict]
    links: list[dict]
    shifts: list[dict]


def read_places() -> list[Place]:
    """Every place of the offline gazetteer; places without a population count as hamlets."""
    with (DATA_DIR / "places_de.csv").open(encoding="utf-8", newline="") as fh:
        return [
            Place(
                row["name"], row["postcode"], row["land"], float(row["lat"]), float(row["lon"]),
                int(row["population"] or 0) or 200,
            )
            for row in csv.DictReader(fh)
        ]  # fmt: skip


class PlaceSampler:
    """Draws points where people live: a place by population, then a jitter by town size."""

    def __init__(self, rng: random.Random) -> None:
        """Read the gazetteer once; ``rng`` drives every draw."""
        self.rng = rng
        self.places = read_places()
        cumulative, total = [], 0
        for place in self.places:
            total += place.population
            cumulative.append(total)
        self.cumulative = cumulative

    def places_for(self, count: int) -> list[Place]:
        """``count`` places, drawn with probability proportional to population."""
        return self.rng.choices(self.places, cum_weights=self.cumulative, k=count)

    def point_near(self, place: Place) -> tuple[float, float]:
        """A point around ``place``: sigma 0.6 km for a village, about 8 km for Berlin."""
        return _jittered(self.rng, place, 0.6 + 0.13 * math.sqrt(place.population / 1000))


class PostcodeSampler(PlaceSampler):
    """Draws points evenly over the country: a postcode uniformly, then a fixed jitter."""

    def __init__(self, rng: random.Random) -> None:
        """Read the postcode table once; ``rng`` drives every draw."""
        self.rng = rng
        with (DATA_DIR / "postcodes_de.csv").open(encoding="utf-8", newline="") as fh:
            self.places = [
                Place(row["locality"], row["postcode"], row["land"], float(row["lat"]),
                      float(row["lon"]), 0)
                for row in csv.DictReader(fh)
            ]  # fmt: skip

    def places_for(self, count: int) -> list[Place]:
        """``count`` postcodes, each equally likely."""
        return self.rng.choices(self.places, k=count)

    def point_near(self, place: Place) -> tuple[float, float]:
        """A point around the postcode's centre (sigma ``EVEN_SIGMA_KM``)."""
        return _jittered(self.rng, place, EVEN_SIGMA_KM)


def sampler_for(spread: str, rng: random.Random) -> PlaceSampler:
    """The sampler of ``spread`` (one of ``SPREADS``)."""
    if spread not in SPREADS:
        raise ValueError(f"spread must be one of {', '.join(SPREADS)}, not {spread!r}")
    return PostcodeSampler(rng) if spread == "even" else PlaceSampler(rng)


def _jittered(rng: random.Random, place: Place, sigma_km: float) -> tuple[float, float]:
    lat = place.lat + rng.gauss(0, sigma_km) / _KM_PER_DEGREE
    lon = place.lon + rng.gauss(0, sigma_km) / (_KM_PER_DEGREE * math.cos(math.radians(place.lat)))
    return round(lat, 6), round(lon, 6)


def _weighted(rng: random.Random, weights: dict, count: int) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=count)


def _utc(wall: datetime) -> datetime:
    return wall.replace(tzinfo=BERLIN).astimezone(UTC)


def generate(
    count: int,
    seed: int,
    trade_ids: dict[str, int],
    guild_id: int,
    batch_size: int = 50_000,
    spread: str = "population",
) -> Iterator[Batch]:
    """The rows of ``count`` businesses (ids 1..count), their trades and shifts, in batches."""
    rng = random.Random(seed)
    sampler = sampler_for(spread, rng)
    radius_weights = EVEN_SERVICE_RADII_KM if spread == "even" else SERVICE_RADII_KM
    periods = [(_utc(start), _utc(end)) for start, end in SHIFT_PERIODS]
    shift_id = 0
    for first in range(1, count + 1, batch_size):
        size = min(batch_size, count + 1 - first)
        batch = Batch([], [], [])
        places = sampler.places_for(size)
        primaries = _weighted(rng, TRADE_WEIGHTS, size)
        openings = _weighted(rng, OPENING_HOURS, size)
        emergencies = _weighted(rng, EMERGENCY_HOURS, size)
        radii = _weighted(rng, radius_weights, size)
        for offset in range(size):
            business_id = first + offset
            place, trade = places[offset], primaries[offset]
            lat, lon = sampler.point_near(place)
            trades = [trade]
            if rng.random() < SECOND_TRADE_SHARE:
                second = TRADE_COMBINATIONS.get(trade) or _weighted(rng, TRADE_WEIGHTS, 1)[0]
                if second != trade:
                    trades.append(second)
            has_emergency = rng.random() < EMERGENCY_SHARE
            phone = f"{FICTIONAL_NUMBER_BLOCKS[business_id % 4]}{business_id % 1000:03d}"
            name = f"{rng.choice(TRADE_WORDS[trade])} {rng.choice(SURNAMES)}"
            batch.businesses.append(
                {
                    "id": business_id, "guild_id": guild_id, "ref": f"BENCH-{business_id:07d}",
                    "name": name + rng.choice(LEGAL_FORMS),
                    "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                    "postcode": place.postcode or None, "city": place.name, "land": place.land,
                    "lat": lat, "lon": lon, "phone": phone,
                    "emergency_phone": phone if has_emergency else None,
                    "mobile": None, "email": None, "website": None,
                    "service_radius_km": radii[offset],
                    "opening_hours": openings[offset],
                    "emergency_hours": emergencies[offset] if has_emergency else None,
                    "accepts_new_customers": rng.random() < 0.85,
                    "callout_price_eur": Decimal(rng.choice((39, 49, 59, 69, 79, 89, 99, 119))),
                    "innungsbetrieb": rng.random() < 0.8, "meisterbetrieb": rng.random() < 0.7,
                    "verified_at": _VERIFIED if rng.random() < 0.7 else None,
                    "verified_by": None, "active": rng.random() >= INACTIVE_SHARE, "version": 1,
                    "created_at": _CREATED, "updated_at": _CREATED,
                }
            )  # fmt: skip
            for slug in trades:
                trade_id = trade_ids[slug]
                batch.links.append(
                    {"business_id": business_id, "trade_id": trade_id, "lat": lat, "lon": lon}
                )
                for starts_at, ends_at in periods:
                    if rng.random() < SHIFT_SHARE:
                        shift_id += 1
                        batch.shifts.append(
                            {
                                "id": shift_id, "business_id": business_id, "trade_id": trade_id,
                                "starts_at": starts_at, "ends_at": ends_at,
                                "created_at": _CREATED,
                            }
                        )  # fmt: skip
        yield batch
