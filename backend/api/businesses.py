"""``GET /api/v1/businesses/<id>`` and the anonymous call events."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.api.problems import raise_unknown_slug
from backend.calls.operations import CallEventError, record_call_event, record_call_outcome
from backend.core.errors import ProblemError
from backend.extensions import db
from backend.geo.schemas import CallIn, CallOutcomeIn
from backend.reference.catalogue import UnknownSlug
from backend.search.listings import get_listing
from backend.search.schemas import BusinessOut

blp = Blueprint("businesses", __name__, description="Business details and call events")


@blp.route("/businesses/<int:business_id>")
@blp.response(200, BusinessOut)
@blp.alt_response(404, description="No listed business with this id")
def get_business(business_id: int):
    """One listed business."""
    found = get_listing(business_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No listed business has id {business_id}.")
    return found


@blp.route("/calls", methods=["POST"])
@blp.arguments(CallIn, location="json", content_type="application/json")
@blp.response(204)
def create_call_event(call: dict):
    """Record an anonymous tap on "Anrufen" (sent with navigator.sendBeacon)."""
    try:
        record_call_event(str(call["id"]), call["business_id"], call["category"], call["channel"])
        db.session.commit()
    except UnknownSlug as exc:
        raise_unknown_slug(exc)
    except CallEventError as exc:
        _raise_call_problem(exc)


@blp.route("/calls/<uuid:call_id>/outcome", methods=["POST"])
@blp.arguments(CallOutcomeIn, location="json")
@blp.response(204)
def set_call_outcome(outcome: dict, call_id):
    """Record whether the resident reached someone."""
    try:
        record_call_outcome(str(call_id), outcome["reached"])
        db.session.commit()
    except CallEventError as exc:
        _raise_call_problem(exc, status=404)


def _raise_call_problem(exc: CallEventError, status: int = 422):
    raise ProblemError(
        status,
        "Unknown reference",
        exc.message,
        errors=[{"parameter": exc.parameter, "in": "body", "message": exc.message}],
    )
