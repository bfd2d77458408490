"""Server-side records of signed-in browsers: idle and absolute limits, ending them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from backend.core.types import utcnow
from backend.extensions import db
from backend.organisations.models import StaffSession, StaffUser

# last_seen_at is written at most this often (not on every request).
TOUCH_INTERVAL = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: StaffUser, user_agent: str = "") -> tuple[StaffSession, str]:
    """A new session record; returns it and the random token for the signed cookie."""
    token = secrets.token_urlsafe(32)
    record = StaffSession(token_hash=_digest(token), user=user, user_agent=user_agent[:200])
    db.session.add(record)
    db.session.flush()
    return record, token


def find_live_session(
    token: str, *, idle: timedelta, absolute: timedelta, now: datetime | None = None
) -> StaffSession | None:
    """The open session of ``token`` if neither limit has passed and the account is active.

    A session found expired is ended (flushed); its ``last_seen_at`` moves on otherwise.
    """
    now = now or utcnow()
    record = db.session.scalar(
        select(StaffSession).where(StaffSession.token_hash == _digest(token))
    )
    if record is None or record.ended_at is not None:
        return None
    expired = now - record.last_seen_at > idle or now - record.created_at > absolute
    if expired or not record.user.active:
        record.ended_at = now
        db.session.flush()
        return None
    if now - record.last_seen_at > TOUCH_INTERVAL:
        record.last_seen_at = now
        db.session.flush()
    return record


def end_session(token: str) -> None:
    """End the session of ``token`` (signing out)."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.token_hash == _digest(token), StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all_sessions(user: StaffUser, *, keep: StaffSession | None = None) -> int:
    """End every open session of ``user`` (except ``keep``); returns how many were ended."""
    statement = update(StaffSession).where(
        StaffSession.user_id == user.id, StaffSession.ended_at.is_(None)
    )
    if keep is not None:
        statement = statement.where(StaffSession.id != keep.id)
    return db.session.execute(statement.values(ended_at=utcnow())).rowcount


def open_sessions(user: StaffUser, *, idle: timedelta, absolute: timedelta) -> list[StaffSession]:
    """The user's sessions that are still within both limits, newest first."""
    now = utcnow()
    records = db.session.scalars(
        select(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .order_by(StaffSession.created_at.desc())
    )
    return [r for r in records if now - r.last_seen_at <= idle and now - r.created_at <= absolute]
