"""Retention: a resident's callback number is deleted 24 hours after the request at the latest."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from backend.extensions import db
from backend.messaging.models import CallbackRequest, OutboundMessage

REDACTED = "[Nummer gelöscht]"


def purge_cutoff(now: datetime, *, margin: timedelta = timedelta(0)) -> datetime:
    """Requests made before this have their number deleted.

    ``margin`` is how long until the next purge runs: numbers that would pass the
    retention before then are deleted now, so none is kept longer than stated.
    """
    hours = current_app.config["CALLBACK_PHONE_RETENTION_H"]
    return now - timedelta(hours=hours) + margin


def purge_resident_numbers(now: datetime, *, margin: timedelta = timedelta(0)) -> int:
    """Blank the numbers of requests older than the retention; returns how many.

    The number also sits in the text of the SMS to a business that did not answer:
    that text is replaced too.
    """
    callbacks = db.session.scalars(
        select(CallbackRequest).where(
            CallbackRequest.resident_phone.is_not(None),
            CallbackRequest.created_at <= purge_cutoff(now, margin=margin),
        )
    ).all()
    for callback in callbacks:
        callback.resident_phone = None
        callback.purged_at = now
        for message in db.session.scalars(
            select(OutboundMessage).where(OutboundMessage.callback_id == callback.id)
        ):
            if message.purpose == "callback_sms":
                message.body = REDACTED
    return len(callbacks)
