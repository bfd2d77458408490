"""RFC 9457 problems: service exceptions translated, and the schema the document states."""

from __future__ import annotations

from typing import NoReturn

from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields

from backend.core.errors import PROBLEM_MIME, ProblemError
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


class ProblemParameterOut(Schema):
    """One wrong parameter: where it was and what was wrong with it."""

    parameter = fields.String(required=True, metadata={"example": "postcode"})
    # "in" is a Python keyword: the attribute is named in_ and serialised as "in".
    in_ = fields.String(
        data_key="in",
        required=True,
        metadata={"description": "query, path, body or json", "example": "query"},
    )
    message = fields.String(required=True)


class ProblemOut(Schema):
    """An RFC 9457 problem (``application/problem+json``); more members may follow."""

    class Meta:
        """Extension members (``valid``, ``candidates``, ``detail_de``) are part of problems."""

        unknown = INCLUDE

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Unprocessable Entity"})
    status = fields.Integer(required=True, metadata={"example": 422})
    detail = fields.String(required=True)
    errors = fields.List(
        fields.Nested(ProblemParameterOut),
        metadata={"description": "Each wrong parameter (validation errors)"},
    )


def document_problem(blp: Blueprint, status: int, description: str):
    """Document that a view answers ``status`` with a problem, as it really does."""
    return blp.alt_response(
        status, schema=ProblemOut, content_type=PROBLEM_MIME, description=description
    )
