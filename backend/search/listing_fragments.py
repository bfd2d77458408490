"""Listings already rendered as JSON, kept per data version by the in-memory index.

A search answer lists up to 50 businesses; reading and rendering them costs more
than finding them. Each :class:`~backend.search.index.SearchIndex` keeps
the rendered listings of the businesses it has listed: a listing read while the
database was at the index's version shows the data of that version (or a later
one, when a write commits in between; the index is then never used again), so a
fragment is never served for data it does not show.
"""

from __future__ import annotations

import threading

# Fragments are about 600 bytes (700 with the dict's share): 20,000 take 14 MB. Servers
# use SEARCH_LISTING_CACHE from the configuration.
CAPACITY = 20_000


class ListingFragments:
    """Business id → the listing's JSON object members (without braces); oldest evicted."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._fragments: dict[int, str] = {}
        self._lock = threading.Lock()

    def get(self, business_id: int) -> str | None:
        """The stored fragment of this business, if any."""
        return self._fragments.get(business_id)

    def put(self, business_id: int, fragment: str) -> None:
        """Store a fragment, evicting the oldest when full."""
        with self._lock:
            if len(self._fragments) >= self.capacity:
                del self._fragments[next(iter(self._fragments))]
            self._fragments[business_id] = fragment

    def without(self, business_ids: set[int]) -> ListingFragments:
        """A new cache holding this one's fragments except those of ``business_ids``.

        A new object, not a deletion: a search still running on the old data may store
        an old fragment, and it must land where no later search looks.
        """
        kept = ListingFragments(self.capacity)
        with self._lock:
            kept._fragments = {
                business_id: fragment
                for business_id, fragment in self._fragments.items()
                if business_id not in business_ids
            }
        return kept

    def __len__(self) -> int:
        return len(self._fragments)
