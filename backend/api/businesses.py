"""``GET /api/v1/businesses/<id>`` and the anonymous call events."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.api.problems import document_problem, raise_unknown_slug
from backend.calls.operations import CallEventError, record_call_event, record_call_outcome
from backend.core.errors import ProblemError
from backend.core.input_fields import DB_INT_MAX
from backend.core.limits import call_event_limit
from backend.extensions import db
from backend.geo.schemas import CallIn, CallOutcomeIn
from backend.reference.catalogue import UnknownSlug
from backend.search.listings import get_listing
from backend.search.schemas import BusinessOut

blp = Blueprint("businesses", __name__, description="Business details and call events")
CALL_PROBLEM_TITLES = {404: "Not found", 409: "Conflict", 422: "Unknown reference"}


# Ids past the database's integer range cannot exist: 404 by routing, never an overflow.
@blp.route(f"/businesses/<int(max={DB_INT_MAX}):business_id>")
@blp.response(200, BusinessOut)
@document_problem(blp, 404, "No listed business with this id")
def get_business(business_id: int):
    """One listed business."""
    found = get_listing(business_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No listed business has id {business_id}.")
    return found


@blp.route("/calls", methods=["POST"])
@call_event_limit
@blp.arguments(CallIn, location="json", content_type="application/json")
@blp.response(204)
@document_problem(blp, 409, "This id was recorded for another business or category")
@document_problem(blp, 422, "Unknown business, unknown category, or none of its trades")
@document_problem(blp, 429, "Too many call events from this address")
def create_call_event(call: dict):
    """Record an anonymous tap on "Anrufen" (sent with navigator.sendBeacon).

    The same id again with the same values (a re-sent beacon) is stored once; the
    category, when given, must be one the business has a trade for.
    """
    try:
        record_call_event(str(call["id"]), call["business_id"], call["category"], call["channel"])
        db.session.commit()
    except UnknownSlug as exc:
        raise_unknown_slug(exc)
    except CallEventError as exc:
        _raise_call_problem(exc)


@blp.route("/calls/<uuid:call_id>/outcome", methods=["POST"])
@call_event_limit
@blp.arguments(CallOutcomeIn, location="json", content_type="application/json")
@blp.response(204)
@document_problem(blp, 404, "No call event with this id")
@document_problem(blp, 409, "The call event already has another answer")
@document_problem(blp, 429, "Too many call events from this address")
def set_call_outcome(outcome: dict, call_id):
    """Record whether the resident reached someone (once; the same answer again is fine)."""
    try:
        record_call_outcome(str(call_id), outcome["reached"])
        db.session.commit()
    except CallEventError as exc:
        _raise_call_problem(exc)


def _raise_call_problem(exc: CallEventError):
    db.session.rollback()
    raise ProblemError(
        exc.status,
        CALL_PROBLEM_TITLES[exc.status],
        exc.message,
        errors=[{"parameter": exc.parameter, "in": "body", "message": exc.message}],
    )
