"""``GET /api/v1/places``: postcode and town autocomplete from the offline gazetteer."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import RAISE

from backend.api.caching import cache_for
from backend.geo.gazetteer import autocomplete_places
from backend.geo.locations import place_label
from backend.geo.schemas import PlaceArgs, PlaceOut

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
