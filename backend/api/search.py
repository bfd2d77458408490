"""``GET /api/v1/search``: validate, call :func:`find_help`, render JSON (maybe from the cache)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import RAISE

from backend.api.caching import cache_for
from backend.api.problems import document_problem, raise_location_problem, raise_unknown_slug
from backend.core.limits import search_limit
from backend.extensions import db
from backend.geo.locations import LocationError
from backend.reference.catalogue import UnknownSlug
from backend.roster.misses import note_unanswered
from backend.search import answer_cache
from backend.search.operation import SearchRequest, find_help
from backend.search.render_json import search_result_json
from backend.search.schemas import SearchArgs, SearchOut


def search_blueprint(config: Mapping[str, Any]) -> Blueprint:
    """The search endpoint, validating with the limits of ``config`` (documented as such)."""
    blp = Blueprint("search", __name__, description="Find businesses that can help")
    # An instance: webargs would build (deep-copy) a schema per request from the class.
    arguments = SearchArgs.configured(config)()

    @blp.route("/search")
    @search_limit
    @cache_for(0)
    @blp.arguments(arguments, location="query", as_kwargs=True, unknown=RAISE)
    @blp.response(200, SearchOut)
    @document_problem(blp, 422, "Invalid parameter (problem+json naming it)")
    @document_problem(blp, 429, "Too many searches from this address (see Retry-After)")
    def search(**args):
        """Nearest businesses that can help at a given time, nearest first.

        Give exactly one location: `lat` with `lon`, or `postcode`, or `place`; and exactly
        one subject: `emergency` or `trade`. Any other combination (none, two locations,
        `lat` without `lon`, both subjects) is refused with 422 naming the parameters.
        Unknown slugs and places are 422 too (with the valid slugs or the candidates).

        Without `at` the search is made for the current minute (seconds dropped). Answers
        may be shared between residents for a short while (a minute by default), but never
        after the listed data changed.
        """
        channel = args.pop("channel", "api")
        request = SearchRequest(**args)
        at = request.moment()
        body = answer_cache.cached_answer(
            answer_key(request, at), lambda: _answer(request, channel)
        )
        return current_app.response_class(body, mimetype=current_app.json.mimetype)

    return blp


def answer_key(request: SearchRequest, at: datetime) -> str:
    """The validated query in one canonical string: equal exactly for equal answers.

    ``at`` counts as the instant (UTC), since the answer shows it in Berlin time anyway.
    """
    return json.dumps(
        [
            request.lat, request.lon, request.postcode, request.place, request.emergency,
            request.trade, at.astimezone(UTC).isoformat(), request.available, request.limit,
            request.radius_km,
        ],
        ensure_ascii=False,
    )  # fmt: skip


def _answer(request: SearchRequest, channel: str) -> bytes:
    """The answer as the JSON bytes that ``SearchOut`` describes; a miss counts for ``channel``."""
    try:
        result = find_help(request)
    except UnknownSlug as exc:
        raise_unknown_slug(exc)
    except LocationError as exc:
        raise_location_problem(exc)
    # Anonymous counters of searches that found nobody available (rare: cheap enough).
    if note_unanswered(result, channel):
        db.session.commit()
    body = search_result_json(result)
    return answer_cache.NotToBeStored(body) if result.ordered_by_call_answers else body
