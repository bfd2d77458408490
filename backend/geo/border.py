"""Whether a position lies in Germany: a simplified outline and a point-in-polygon test.

The outline (``backend/data/germany_outline.json``) is derived from the gazetteer's own
points by ``scripts/build_germany_outline.py`` (method and accuracy stated there, licence
in ``backend/data/LICENSES.md``): about 150 points, within roughly 10 km of the real
border. It replaces the rectangle that let Prague and the North Sea in.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

OUTLINE = Path(__file__).resolve().parents[1] / "data" / "germany_outline.json"
Ring = tuple[tuple[float, float], ...]


@lru_cache(maxsize=1)
def _rings() -> tuple[Ring, ...]:
    document = json.loads(OUTLINE.read_text(encoding="utf-8"))
    return tuple(tuple((lat, lon) for lat, lon in ring) for ring in document["rings"])


@lru_cache(maxsize=65536)  # an import meets the same coordinates many times
def in_germany(lat: float, lon: float) -> bool:
    """Whether (lat, lon) lies inside the outline (even-odd rule over every ring)."""
    inside = False
    for ring in _rings():
        previous_lat, previous_lon = ring[-1]
        for ring_lat, ring_lon in ring:
            if (ring_lat > lat) != (previous_lat > lat):
                crossing = ring_lon + (lat - ring_lat) * (previous_lon - ring_lon) / (
                    previous_lat - ring_lat
                )
                if lon < crossing:
                    inside = not inside
            previous_lat, previous_lon = ring_lat, ring_lon
    return inside
