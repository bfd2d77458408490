"""How the search widens: rings around the resident, each sized from what the last held.

Shared by the database search (:mod:`.search`) and the in-memory index
(:mod:`.search_index`), so both visit the same rings.
"""

from __future__ import annotations

from math import pi, sqrt
from typing import Protocol

from backend.geo.distance import bounding_box

# The first ring's radius in km. Each later ring is sized from the candidates seen so far,
# 1.5 to 3 times as wide as the one before; the last ring is the reach of the search.
FIRST_RING_KM = 1.0
RING_GROWTH = (1.5, 3.0)
# How many more candidates than the estimate a ring should hold (one ring too few costs
# another round).
RING_MARGIN = 1.6
# A box that contains nothing: the "previous ring" of the first ring.
EMPTY_BOX = (1.0, -1.0, 1.0, -1.0)


def still_needed(limit: int, chosen: int, visited: int) -> float:
    """Candidates still to visit for the missing hits, at the hit rate so far."""
    # Before any evidence, assume every other candidate is a hit.
    rate = (chosen + 1) / (visited + 2)
    return (limit - chosen) / max(rate, 0.05)


def next_ring_km(ring_km: float, visited: int, pending: int, needed: float) -> float:
    """The radius of the next ring: one that should hold the ``needed`` candidates.

    The ``visited + pending`` candidates seen in the current box, about (2 r)², give the
    density around the resident; a ring of radius R holds about density × πR² of them.
    """
    candidates = visited + pending
    if not candidates:
        return ring_km * RING_GROWTH[1]
    wanted = visited + needed * RING_MARGIN
    radius = sqrt(wanted * (2 * ring_km) ** 2 / (pi * candidates))
    return min(max(radius, ring_km * RING_GROWTH[0]), ring_km * RING_GROWTH[1])


class RingSearch(Protocol):
    """One search's state, widened ring by ring (database or in-memory index)."""

    chosen: list
    visited: int

    @property
    def pending_count(self) -> int:
        """Candidates seen beyond the current ring."""

    def widen(self, ring_km: float, box: tuple, inner: tuple) -> bool:
        """Visit the candidates within ``ring_km``; True once enough hits are chosen."""


def search_in_rings(search: RingSearch, lat: float, lon: float, limit: int, reach: float) -> None:
    """Widen ``search`` around (lat, lon) until it has ``limit`` hits or covers ``reach``."""
    ring, inner = min(FIRST_RING_KM, reach), EMPTY_BOX
    while True:
        box = bounding_box(lat, lon, ring)
        if search.widen(ring, box, inner) or ring >= reach:
            return
        needed = still_needed(limit, len(search.chosen), search.visited)
        ring = min(next_ring_km(ring, search.visited, search.pending_count, needed), reach)
        inner = box
