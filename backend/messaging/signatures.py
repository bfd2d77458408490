"""Every Twilio webhook must carry a valid X-Twilio-Signature: there is no switch to skip it.

Twilio signs the URL it requested. Behind a proxy the app sees another URL
(``http://127.0.0.1:5000/...``), so the signed URL is rebuilt from ``PUBLIC_BASE_URL``
plus the path and query the request arrived with.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator


def signed_url() -> str:
    """The URL Twilio requested, as the public sees it."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    query = request.query_string.decode()
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def has_valid_signature() -> bool:
    """Whether this request was signed with our auth token (never true without one)."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN") or ""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    return RequestValidator(token).validate(signed_url(), request.form, signature)


def twilio_signed(view: Callable) -> Callable:
    """Answer 403 unless the request carries Twilio's valid signature."""

    @wraps(view)
    def checked(*args, **kwargs):
        if not has_valid_signature():
            abort(403)
        return view(*args, **kwargs)

    return checked
