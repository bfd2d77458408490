"""``POST /api/v1/callbacks`` and ``GET /api/v1/callbacks/<id>``: a business calls back.

The request is only recorded here; the queue worker makes the call. Limits per client
address, per resident number and per business stop anyone from using the service to
pump calls or SMS (numbers are keyed by a keyed hash, never in clear).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint

from backend.api.problems import document_problem, raise_unknown_slug
from backend.core.errors import ProblemError
from backend.extensions import db, limiter
from backend.messaging.callbacks import (
    CallbackError,
    business_notified_by_sms,
    callback_number,
    find_callback,
    request_callback,
    state_message,
)
from backend.messaging.models import CallbackRequest
from backend.messaging.schemas import CallbackIn, CallbackOut
from backend.reference.catalogue import UnknownSlug

blp = Blueprint("callbacks", __name__, description="Callback requests (a business calls back)")


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _number_key() -> str:
    """The resident's number as a keyed hash (normalised, so spellings count as one)."""
    raw = str(_body().get("phone", ""))
    try:
        raw = callback_number(raw)
    except CallbackError:
        raw = raw.strip()
    secret = current_app.config["SECRET_KEY"].encode()
    return "number:" + hmac.new(secret, raw.encode(), hashlib.sha256).hexdigest()[:32]


def _business_key() -> str:
    return f"business:{_body().get('business_id')}"


def _accepted(response) -> bool:
    """Only accepted requests use up the number's and the business's allowance."""
    return response.status_code == 202


def _config_limit(key: str):
    return lambda: current_app.config[key]


@blp.route("/callbacks", methods=["POST"])
@limiter.limit(_config_limit("CALLBACK_LIMIT_PER_ADDRESS"), methods=["POST"])
@limiter.limit(
    _config_limit("CALLBACK_LIMIT_PER_NUMBER"), key_func=_number_key, deduct_when=_accepted
)
@limiter.limit(
    _config_limit("CALLBACK_LIMIT_PER_BUSINESS"), key_func=_business_key, deduct_when=_accepted
)
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
