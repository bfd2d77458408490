"""What the widget page shows: the categories, or the search answer with its safety advice.

Builds the template context from the ONE search operation (:func:`find_help` and
:func:`listed_results`); nothing here searches, resolves places or judges availability.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.geo.locations import LocationError
from backend.organisations.models import PartnerCity
from backend.reference.catalogue import (
    EmergencyRef,
    UnknownSlug,
    catalogue,
    get_emergency,
    get_trade,
)
from backend.roster.misses import note_unanswered
from backend.search.operation import SearchRequest, find_help, listed_results
from backend.widgets.preset import Preset
from backend.widgets.texts import fill, format_distance, format_price, format_when, texts


@dataclass
class WidgetPage:
    """The template context of one widget view and its HTTP status."""

    status: int = 200
    heading: str = ""
    category: EmergencyRef | None = None
    emergencies: list[EmergencyRef] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    place_label: str = ""
    error: str | None = None
    candidates: list[Any] = field(default_factory=list)
    searched: bool = False
    # A search that found nobody available was counted (anonymously): the view commits it.
    counted: bool = False


def shown_emergencies(preset: Preset) -> list[EmergencyRef]:
    """The categories of the chooser: the preset's (in its order) or all of them."""
    every = catalogue().emergencies
    if not preset.categories:
        return list(every)
    by_slug = {e.slug: e for e in every}
    return [by_slug[slug] for slug in preset.categories if slug in by_slug] or list(every)


def label(category: EmergencyRef, lang: str) -> str:
    """The category's name in ``lang``."""
    return category.label_en if lang == "en" else category.label_de


def build_page(city: PartnerCity, preset: Preset) -> WidgetPage:
    """The chooser (no subject) or who can help now, nearest to the city centre first."""
    words = texts(preset.lang)
    if not preset.has_subject:
        return WidgetPage(heading=words["home.heading"], emergencies=shown_emergencies(preset))
    request = SearchRequest(
        **_where(city, preset),
        emergency=preset.emergency,
        trade=preset.trade,
        available=preset.available,
        limit=preset.limit,
        radius_km=city.default_radius_km,
    )
    try:
        result = find_help(request)
    except UnknownSlug:
        return WidgetPage(
            status=404, heading=words["home.heading"], error=words["unknown"],
            emergencies=shown_emergencies(preset),
        )  # fmt: skip
    except LocationError as exc:
        # Safety advice never depends on the place: show it even when the place is wrong.
        category = get_emergency(preset.emergency) if preset.emergency else None
        page = WidgetPage(status=422, category=category, heading=_subject(preset, category))
        page.error = _location_message(exc, words)
        page.candidates = exc.candidates[:8]
        return page
    page = WidgetPage(category=result.category, heading=_subject(preset, result.category))
    page.searched = bool(result.trades)
    page.counted = note_unanswered(result, "widget") > 0
    page.place_label = _place_label(city, preset, result.location.label, words)
    listed = listed_results(result)
    # Available now first, nearest first within each group (the search's order is kept).
    listed.sort(key=lambda hit: not hit["available"])
    page.results = [_present(hit, result.at, preset.lang) for hit in listed]
    return page


def _where(city: PartnerCity, preset: Preset) -> dict[str, Any]:
    if preset.lat is not None and preset.lon is not None:
        return {"lat": preset.lat, "lon": preset.lon}
    if preset.postcode:
        return {"postcode": preset.postcode}
    if preset.place:
        return {"place": preset.place}
    return {"lat": city.lat, "lon": city.lon}


def _subject(preset: Preset, category: EmergencyRef | None) -> str:
    if category is not None:
        return label(category, preset.lang)
    trade = get_trade(preset.trade or "")
    return trade.name_en if preset.lang == "en" else trade.name_de


def _place_label(city: PartnerCity, preset: Preset, found: str | None, words: dict) -> str:
    if not preset.has_location:
        return city.name
    if preset.lat is not None:
        return ""  # the heading then says "near you"
    return found or preset.place or preset.postcode or city.name


def _location_message(exc: LocationError, words: dict[str, str]) -> str:
    if exc.candidates:
        return words["location.candidates"]
    return words["not_found_postcode" if exc.parameter == "postcode" else "not_found_place"]


def _present(hit: dict[str, Any], now: Any, lang: str) -> dict[str, Any]:
    """A listed business with the sentences the template shows."""
    words = texts(lang)
    if hit["available"]:
        until = hit["available_until"]
        when = (fill(words["result.available_until"], time=format_when(until, now, lang))
                if until else words["result.available"])  # fmt: skip
    elif hit["next_available"]:
        when = fill(words["result.next"], time=format_when(hit["next_available"], now, lang))
    else:
        when = words["result.unavailable"]
    price = hit["callout_price_eur"]
    trade_names = {t.slug: (t.name_en if lang == "en" else t.name_de) for t in catalogue().trades}
    distance = format_distance(hit["distance_km"], lang)
    return {
        **hit,
        "when": when,
        "distance": fill(words["result.distance"], distance=distance),
        "price": (words["result.price_unknown"] if price is None
                  else fill(words["result.price"], price=format_price(price, lang))),
        "trade_names": ", ".join(trade_names.get(s, s) for s in hit["trades"]),
    }  # fmt: skip
