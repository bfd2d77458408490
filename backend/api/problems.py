"""Translate service exceptions into RFC 9457 problems naming the parameter."""

from __future__ import annotations

from typing import NoReturn

from backend.core.errors import ProblemError
from backend.geo.locations import LocationError, place_label
from backend.reference.catalogue import UnknownSlug

PROBLEM_BASE = "https://schnellruf.example/problems/"


def raise_unknown_slug(exc: UnknownSlug) -> NoReturn:
    """422 listing the valid slugs for the parameter."""
    raise ProblemError(
        422,
        f"Unknown {exc.kind}",
        f"'{exc.slug}' is not a known {exc.kind}. Valid values: {', '.join(exc.valid)}.",
        problem_type=PROBLEM_BASE + f"unknown-{exc.kind}",
        errors=[{"parameter": exc.kind, "in": "query", "message": str(exc)}],
        valid=exc.valid,
    )


def raise_location_problem(exc: LocationError) -> NoReturn:
    """422 naming the location parameter; candidates when a place name is ambiguous."""
    extra = {}
    if exc.candidates:
        extra["candidates"] = [
            {
                "label": place_label(p),
                "name": p.name,
                "postcode": p.postcode,
                "land": p.land,
                "lat": p.lat,
                "lon": p.lon,
            }
            for p in exc.candidates
        ]
    raise ProblemError(
        422,
        "Ambiguous place" if exc.candidates else "Location not found",
        exc.message,
        problem_type=PROBLEM_BASE + ("ambiguous-place" if exc.candidates else "location-not-found"),
        errors=[{"parameter": exc.parameter, "in": "query", "message": exc.message}],
        **extra,
    )
