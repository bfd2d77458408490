"""``POST /api/v1/callbacks`` and ``GET /api/v1/callbacks/<id>``: a business calls back.

The request is only recorded here; the queue worker makes the call. Limits per client
address, per resident number and per business (:mod:`backend.messaging.limits`, shared
with the widget's form) stop anyone from using the service to pump calls or SMS.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from backend.api.problems import document_problem, raise_unknown_slug
from backend.core.errors import ProblemError
from backend.extensions import db
from backend.messaging.callbacks import (
    CallbackError,
    business_notified_by_sms,
    find_callback,
    request_callback,
    state_message,
)
from backend.messaging.limits import callback_limits
from backend.messaging.models import CallbackRequest
from backend.messaging.schemas import CallbackIn, CallbackOut
from backend.reference.catalogue import UnknownSlug

blp = Blueprint("callbacks", __name__, description="Callback requests (a business calls back)")


@blp.route("/callbacks", methods=["POST"])
@callback_limits
@blp.arguments(CallbackIn, location="json", content_type="application/json")
@blp.response(202, CallbackOut)
@document_problem(blp, 422, "Invalid number, business or emergency (problem+json)")
@document_problem(blp, 429, "Too many requests for this number, address or business")
def create_callback(callback: dict):
    """Ask a business to call back (German numbers only; the call is made in the background)."""
    try:
        created = request_callback(
            callback["business_id"], callback["phone"], callback["emergency"], callback["channel"]
        )
        db.session.commit()
    except UnknownSlug as exc:
        db.session.rollback()
        raise_unknown_slug(exc)
    except CallbackError as exc:
        db.session.rollback()
        raise ProblemError(
            422,
            "Callback not possible",
            exc.message,
            detail_de=exc.message_de,
            errors=[{"parameter": exc.parameter, "in": "body", "message": exc.message}],
        ) from exc
    return callback_out(created)


@blp.route("/callbacks/<uuid:callback_id>")
@blp.response(200, CallbackOut)
@document_problem(blp, 404, "No such callback request")
def get_callback(callback_id):
    """Where a callback request stands (poll every few seconds until ``final``)."""
    found = find_callback(str(callback_id))
    if found is None:
        raise ProblemError(404, "Not found", f"No callback request has id {callback_id}.")
    return callback_out(found)


def callback_out(callback: CallbackRequest) -> dict[str, Any]:
    """The resident's view of a request: no number, only the state and what it means."""
    notified = callback.state == "business_not_answered" and business_notified_by_sms(callback)
    message_de, message_en = state_message(callback.state, notified)
    return {
        "id": callback.public_id,
        "state": callback.state,
        "business_id": callback.business_id,
        "emergency": callback.emergency,
        "business_notified_by_sms": notified,
        "final": callback.state in ("connected", "business_not_answered", "failed"),
        "message_de": message_de,
        "message_en": message_en,
        "created_at": callback.created_at,
        "updated_at": callback.updated_at,
    }
