"""Distances on the sphere, identical to geopy's ``great_circle``, and bounding boxes.

geopy's ``great_circle`` costs several microseconds per call because it builds
Point objects; this is the same formula on plain floats, so results agree with
geopy to the last bit while costing well under a microsecond.
"""

from __future__ import annotations

from collections.abc import Callable
from math import asin, atan2, cos, degrees, pi, radians, sin, sqrt

from geopy.distance import EARTH_RADIUS

EARTH_RADIUS_KM: float = EARTH_RADIUS  # mean radius, 6371.009 km


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on the mean Earth radius (geopy's formula)."""
    return distances_from(lat1, lon1)(lat2, lon2)


def distances_from(lat: float, lon: float) -> Callable[[float, float], float]:
    """Great-circle distances in km from one fixed point, its trigonometry done once.

    geopy's ``great_circle`` formula, operation for operation, so the results are
    bit-identical to it; a search measures hundreds of distances from one position.
    """
    lat1, lng1 = radians(lat), radians(lon)
    sin_lat1, cos_lat1 = sin(lat1), cos(lat1)

    def distance_km(lat: float, lon: float) -> float:
        lat2, lng2 = radians(lat), radians(lon)
        sin_lat2, cos_lat2 = sin(lat2), cos(lat2)
        delta_lng = lng2 - lng1
        cos_delta_lng, sin_delta_lng = cos(delta_lng), sin(delta_lng)
        d = atan2(
            sqrt(
                (cos_lat2 * sin_delta_lng) ** 2
                + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta_lng) ** 2
            ),
            sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta_lng,
        )
        return EARTH_RADIUS_KM * d

    return distance_km


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """A (min_lat, max_lat, min_lon, max_lon) box containing every point within ``radius_km``.

    The service area is Germany, so boxes never need to wrap around the date line.

    Slightly generous (by a small margin) so that float rounding never excludes a
    point that the exact distance would include.
    """
    margin = 1.000001
    angular = radius_km / EARTH_RADIUS_KM * margin
    dlat = degrees(angular)
    min_lat, max_lat = lat - dlat, lat + dlat
    if max_lat >= 90 or min_lat <= -90:
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    # Widest longitude extent is reached at the latitude nearest the pole, not the centre.
    dlon = degrees(asin_clamped(sin(angular) / cos(radians(lat))))
    return min_lat, max_lat, lon - dlon, lon + dlon


def asin_clamped(value: float) -> float:
    """``asin`` that tolerates tiny float overshoot beyond 1."""
    if value >= 1:
        return pi / 2
    return asin(value)
