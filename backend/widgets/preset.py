"""What an embed asks for, read from the widget URL's query string.

City editors paste these URLs into their portals and residents submit the GET form,
so a value that makes no sense falls back to its default instead of breaking the page;
only the subject (emergency or trade) and the place are reported back to the resident.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from backend.widgets.texts import LANGUAGES

DEFAULT_LIMIT = 5
MAX_LIMIT = 20
_POSTCODE = re.compile(r"^\d{5}$")
_SLUG = re.compile(r"^[a-z0-9-]{1,64}$")


@dataclass(frozen=True)
class Preset:
    """The widget's settings for one request (all optional in the URL)."""

    lang: str = "de"
    emergency: str | None = None
    trade: str | None = None
    place: str | None = None
    postcode: str | None = None
    lat: float | None = None
    lon: float | None = None
    limit: int = DEFAULT_LIMIT
    categories: tuple[str, ...] = ()
    fixed: bool = False
    available: Literal["now", "any"] = "now"

    @property
    def has_subject(self) -> bool:
        """An emergency or a trade was chosen: show who can help."""
        return bool(self.emergency or self.trade)

    @property
    def has_location(self) -> bool:
        """A place other than the city centre was asked for."""
        return bool(self.place or self.postcode or (self.lat is not None and self.lon is not None))

    def settings(self) -> dict[str, str]:
        """The embed's own settings (kept in every link and form of the widget)."""
        values = {
            "lang": self.lang if self.lang != "de" else None,
            "limit": str(self.limit) if self.limit != DEFAULT_LIMIT else None,
            "categories": ",".join(self.categories) or None,
            "fixed": "1" if self.fixed else None,
        }
        return {k: v for k, v in values.items() if v}

    def query(self, **changes: object) -> dict[str, str]:
        """Query parameters of this preset with ``changes`` applied (None drops a key)."""
        current = replace(self, **changes) if changes else self
        values = {
            **current.settings(),
            "emergency": current.emergency,
            "trade": current.trade,
            "place": current.place,
            "postcode": current.postcode,
            "lat": None if current.lat is None else f"{current.lat:.3f}",
            "lon": None if current.lon is None else f"{current.lon:.3f}",
            "available": "any" if current.available == "any" else None,
        }
        return {k: v for k, v in values.items() if v}


def _float(value: str | None, low: float, high: float) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and low <= number <= high else None


def _slug(value: str | None) -> str | None:
    text = (value or "").strip().lower()
    return text if text else None


def parse_preset(args: Mapping[str, str]) -> Preset:
    """Read a :class:`Preset` from query arguments (unknown or broken values use defaults)."""
    lang = args.get("lang", "de")
    try:
        limit = min(max(int(args.get("limit", DEFAULT_LIMIT)), 1), MAX_LIMIT)
    except ValueError:
        limit = DEFAULT_LIMIT
    categories = tuple(
        part
        for part in (p.strip() for p in args.get("categories", "").split(","))
        if _SLUG.match(part)
    )
    place = (args.get("place") or "").strip()[:100] or None
    postcode = (args.get("postcode") or "").strip() or None
    if place and _POSTCODE.fullmatch(place):  # one field takes a postcode or a town
        place, postcode = None, place
    lat, lon = _float(args.get("lat"), -90, 90), _float(args.get("lon"), -180, 180)
    if lat is None or lon is None or place or postcode:
        lat = lon = None
    return Preset(
        lang=lang if lang in LANGUAGES else "de",
        emergency=_slug(args.get("emergency")),
        trade=None if args.get("emergency") else _slug(args.get("trade")),
        place=place,
        postcode=postcode,
        lat=lat,
        lon=lon,
        limit=limit,
        categories=categories,
        fixed=args.get("fixed") in ("1", "true", "yes"),
        available="any" if args.get("available") == "any" else "now",
    )
