"""Limits on callback requests, shared by every channel that takes them (API and widget).

Against SMS and call pumping: per client address, per resident number and per business
(Flask-Limiter on the product's Redis). The scopes are shared, so a number or a business
has one allowance whichever channel asks; numbers are keyed by a keyed hash, never in
clear. Only accepted requests use up a number's and a business's allowance.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from flask import current_app, request

from backend.extensions import limiter
from backend.messaging.callbacks import CallbackError, callback_number

# What a channel answers when it accepted a request: 202 (API), 303 to the state (widget).
ACCEPTED = (202, 303)


def _fields() -> dict[str, Any]:
    """The request's fields: a JSON body, else the form, with the route's values on top."""
    body = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    fields = body if isinstance(body, dict) else {}
    return {**fields, **(request.view_args or {})}


def _number_key() -> str:
    """The resident's number as a keyed hash (normalised, so spellings count as one)."""
    raw = str(_fields().get("phone", ""))
    try:
        raw = callback_number(raw)
    except CallbackError:
        raw = raw.strip()
    secret = current_app.config["SECRET_KEY"].encode()
    return "number:" + hmac.new(secret, raw.encode(), hashlib.sha256).hexdigest()[:32]


def _business_key() -> str:
    return f"business:{_fields().get('business_id')}"


def _accepted(response) -> bool:
    return response.status_code in ACCEPTED


def _config_limit(key: str) -> Callable[[], str]:
    return lambda: current_app.config[key]


def callback_limits(view: Callable) -> Callable:
    """Decorate a view that takes callback requests (POST) with the three shared limits."""
    for scope, key, key_func, deduct in (
        ("callbacks-business", "CALLBACK_LIMIT_PER_BUSINESS", _business_key, _accepted),
        ("callbacks-number", "CALLBACK_LIMIT_PER_NUMBER", _number_key, _accepted),
        ("callbacks-address", "CALLBACK_LIMIT_PER_ADDRESS", None, None),
    ):
        view = limiter.shared_limit(
            _config_limit(key), scope, key_func=key_func, deduct_when=deduct, methods=["POST"]
        )(view)
    return view
