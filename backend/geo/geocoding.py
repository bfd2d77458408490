"""Locate an address: a configured geocoder for street level, the offline gazetteer otherwise.

The geocoder (Nominatim or a self-hosted Nominatim-compatible server, via geopy) is optional:
without ``geocoder_url``, or when it fails, times out or finds nothing, the postcode or town
from the offline gazetteer answers instead, so saving a business never depends on the network.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import takewhile
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from backend.geo import gazetteer as places

__all__ = ["Location", "PlaceNotFound", "locate_address"]

log = logging.getLogger(__name__)

# A geocoder hit this far from the given postcode's locality is a street of the same name in
# another town; big cities span ~40 km, and their codes all sit at the city centre.
MAX_DISTANCE_FROM_POSTCODE_KM = 50.0
# The public OSM instance allows at most one request per second
# (https://operations.osmfoundation.org/policies/nominatim/); a self-hosted one sets its own.
PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"


class PlaceNotFound(ValueError):
    """Neither the geocoder nor the gazetteer could place the address."""


@dataclass(frozen=True, slots=True)
class Location:
    """Coordinates and Land of an address and which source supplied them."""

    lat: float
    lon: float
    land: str
    source: str  # 'geocoder' | 'gazetteer-postcode' | 'gazetteer-place'


@lru_cache(maxsize=8)
def _geocoder(geocoder_url: str, user_agent: str, timeout: float) -> Callable[..., object]:
    """One throttled client per configuration; its HTTP connections are reused between calls."""
    parts = urlsplit(geocoder_url if "//" in geocoder_url else f"https://{geocoder_url}")
    # geopy appends "/search" to scheme://domain, so a path prefix belongs to the domain.
    domain = parts.netloc + parts.path.rstrip("/").removesuffix("/search")
    client = Nominatim(
        domain=domain, scheme=parts.scheme or "https", user_agent=user_agent, timeout=timeout
    )
    delay = 1.0 if parts.hostname == PUBLIC_NOMINATIM else 0.0
    return RateLimiter(
        client.geocode, min_delay_seconds=delay, max_retries=0, swallow_exceptions=False
    )


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance, plenty for a plausibility check within Germany."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


def _land_of_result(raw: dict, lat: float, lon: float) -> str:
    """Land from Nominatim's address details ("ISO3166-2-lvl4": "DE-ST"), else nearest PLZ."""
    iso = (raw.get("address") or {}).get("ISO3166-2-lvl4", "")
    if iso.startswith("DE-") and iso[3:] in places.LAND_NAMES:
        return iso[3:]
    return places.nearest_postcode(lat, lon).land


def _geocode(
    street: str,
    postcode: str | None,
    city: str | None,
    *,
    geocoder_url: str,
    user_agent: str,
    timeout: float,
) -> tuple[float, float, dict] | None:
    """Ask the geocoder; None on any failure, which the caller answers from the gazetteer."""
    query = {"street": street, "postalcode": postcode, "city": city, "country": "Deutschland"}
    query = {key: value for key, value in query.items() if value}
    try:
        hit = _geocoder(geocoder_url, user_agent, timeout)(
            query, country_codes="de", addressdetails=True
        )
    except (GeopyError, ValueError) as exc:  # ValueError: malformed coordinates in the answer
        log.warning("geocoder %s failed, using the gazetteer: %s", geocoder_url, exc)
        return None
    if hit is None:  # addresses stay out of the log: they may be a resident's
        log.info("geocoder %s found nothing, using the gazetteer", geocoder_url)
        return None
    return hit.latitude, hit.longitude, hit.raw if isinstance(hit.raw, dict) else {}


def _best_by_postcode(candidates: list[places.Place], postcode: str | None) -> places.Place:
    """Among same-named towns prefer the one sharing most leading digits with ``postcode``."""

    def shared(place: places.Place) -> int:
        pairs = zip(place.postcode or "", postcode or "", strict=False)
        return sum(1 for _ in takewhile(lambda pair: pair[0] == pair[1], pairs))

    # Candidates arrive most populous first and max() keeps the first of equals.
    return max(candidates, key=shared)


def locate_address(
    street: str | None,
    postcode: str | None,
    city: str | None,
    *,
    geocoder_url: str | None = None,
    user_agent: str = "handwerker-schnellruf",
    timeout: float = 5,
) -> Location:
    """Return coordinates and Land for an address in Germany.

    With ``geocoder_url`` and a street, a Nominatim-compatible geocoder is asked first
    (restricted to Germany); otherwise, or if it fails or finds nothing, the offline gazetteer
    answers from the postcode, then from the town name (ambiguous names prefer the town whose
    postcode matches). The Land always follows the postcode when a known one is given.
    Raises PlaceNotFound when nothing resolves.
    """
    street, postcode, city = (
        v.strip() if v and v.strip() else None for v in (street, postcode, city)
    )
    by_postcode = places.resolve_postcode(postcode) if postcode else None
    if geocoder_url and street:
        found = _geocode(
            street, postcode, city, geocoder_url=geocoder_url, user_agent=user_agent,
            timeout=timeout,
        )  # fmt: skip
        if found and by_postcode:
            lat, lon, _ = found
            if _km(lat, lon, by_postcode.lat, by_postcode.lon) > MAX_DISTANCE_FROM_POSTCODE_KM:
                log.warning("geocoder result lies far from PLZ %s; ignored", postcode)
                found = None
        if found:
            lat, lon, raw = found
            land = by_postcode.land if by_postcode else _land_of_result(raw, lat, lon)
            return Location(lat, lon, land, "geocoder")
    if by_postcode:
        return Location(by_postcode.lat, by_postcode.lon, by_postcode.land, "gazetteer-postcode")
    candidates = places.find_places_by_name(city) if city else []
    if candidates:
        town = _best_by_postcode(candidates, postcode)
        return Location(town.lat, town.lon, town.land, "gazetteer-place")
    given = ", ".join(v for v in (street, postcode, city) if v) or "an empty address"
    raise PlaceNotFound(f"Could not locate {given}: unknown postcode and town in Germany.")
