"""``GET /api/v1/places``: postcode and town autocomplete; ``/cities/<slug>``: a partner city."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import RAISE

from backend.api.caching import cache_for
from backend.api.problems import document_problem
from backend.core.errors import ProblemError
from backend.geo.gazetteer import autocomplete_places
from backend.geo.locations import place_label
from backend.geo.schemas import CityOut, PlaceArgs, PlaceOut
from backend.widgets.operations import UnknownCity, find_city

blp = Blueprint("places", __name__, description="Postcode and town look-up")


@blp.route("/places")
@cache_for(86400)
@blp.arguments(PlaceArgs, location="query", as_kwargs=True, unknown=RAISE)
@blp.response(200, PlaceOut(many=True))
def list_places(q: str, limit: int):
    """Postcodes or towns starting with ``q``, most relevant first (cacheable)."""
    return [
        {"label": place_label(p), "name": p.name, "postcode": p.postcode, "land": p.land,
         "lat": p.lat, "lon": p.lon, "kind": p.kind}
        for p in autocomplete_places(q, limit=limit)
    ]  # fmt: skip


@blp.route("/cities/<slug>")
@cache_for(3600)
@blp.response(200, CityOut)
@document_problem(blp, 404, "No active partner city has this slug")
def get_city(slug: str):
    """A partner city's name and centre, e.g. for a printed notice's link ``/?stadt=<slug>``."""
    try:
        city = find_city(slug)
    except UnknownCity as exc:
        raise ProblemError(404, "Not found", f"No partner city has slug {slug!r}.") from exc
    return {"slug": city.slug, "name": city.name, "lat": city.lat, "lon": city.lon}
