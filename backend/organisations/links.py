"""Signed one-use links for setting a password: reset by e-mail and staff invitations.

A link carries the account id and a fingerprint of the current password hash, signed
with SECRET_KEY; it stops working once the password changes (used) or it is too old.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from backend.extensions import db
from backend.organisations.models import StaffUser

PURPOSES = {"reset": "PASSWORD_RESET_MINUTES", "invite": "INVITATION_DAYS"}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"console-{purpose}")


def _fingerprint(user: StaffUser) -> str:
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:24]


def _max_age(purpose: str) -> int:
    value = float(current_app.config[PURPOSES[purpose]])
    return int(value * 60 if purpose == "reset" else value * 86400)


def make_token(user: StaffUser, purpose: str) -> str:
    """A token for ``purpose`` (``reset`` or ``invite``) for ``user``."""
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(token: str, purpose: str) -> StaffUser | None:
    """The active account the token was made for, if it is valid, unused and not too old."""
    try:
        data = _serializer(purpose).loads(token, max_age=_max_age(purpose))
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(StaffUser, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user
