"""Outbound SMS and calls: recorded first, delivered by the queue worker, never lost.

:func:`queue_message` records what is to be sent (in the caller's unit of work) and
has it enqueued after the commit; :func:`deliver` is what the worker runs for it: one
attempt through the configured provider, its outcome recorded on the row.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import or_, select

from backend.businesses.models import Business
from backend.extensions import db
from backend.messaging.models import CallbackRequest, OutboundMessage
from backend.messaging.providers import ProviderError, Sent, get_provider, mask_phone
from backend.messaging.queue import enqueue_after_commit

log = logging.getLogger(__name__)

DONE = ("sent", "delivered", "failed")


class RetryLater(RuntimeError):
    """An attempt failed and another one is due (the queue repeats the job)."""


def queue_message(
    *,
    kind: str,
    purpose: str,
    to_phone: str,
    body: str | None = None,
    business: Business | None = None,
    callback: CallbackRequest | None = None,
) -> OutboundMessage:
    """Record an SMS (``body``) or a call (for ``callback``) and enqueue it after commit."""
    message = OutboundMessage(
        kind=kind,
        purpose=purpose,
        to_phone=to_phone,
        body=body,
        business=business,
        callback=callback,
        provider=current_app.config.get("MESSAGING_PROVIDER", "console"),
        status="queued",
        attempts=0,
    )
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(db.session(), message.id)
    return message


def public_url(endpoint: str, **values) -> str:
    """An absolute URL under ``PUBLIC_BASE_URL``: the address Twilio sees and signs."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with current_app.test_request_context("/"):  # url_for outside a request
        path = url_for(endpoint, **values)
    return base + path


def deliver(message_id: int, *, last_attempt: bool) -> tuple[OutboundMessage | None, Sent | None]:
    """One delivery attempt: the message and what the provider answered (None: failed).

    Raises :class:`RetryLater` when another attempt is due. A failure is recorded on
    the row (``attempts``, ``last_error``); after the last attempt, or for an error no
    repetition can mend, the message is ``failed`` (the caller tells whoever waits).
    A message sent or failed before is left alone (answer ``(message, None)``).
    """
    message = db.session.get(OutboundMessage, message_id)
    if message is None or message.status in DONE:
        return message, None  # delivered by an earlier job, or gone with its business
    message.attempts += 1
    try:
        sent = _send(message)
    except ProviderError as exc:
        message.last_error = str(exc)
        log.warning("message %s attempt %s failed: %s", message.id, message.attempts, exc)
        if exc.retryable and not last_attempt:
            message.status = "retrying"
            raise RetryLater(str(exc)) from exc
        message.status = "failed"
        return message, None
    message.status = "sent"
    message.provider_sid = sent.sid
    message.sent_at = datetime.now(UTC)
    message.last_error = None
    return message, sent


def _send(message: OutboundMessage) -> Sent:
    if not message.to_phone:
        raise ProviderError("number deleted before it could be sent", retryable=False)
    provider = get_provider()
    if message.kind == "sms":
        status_url = public_url("twilio_webhooks.message_status", message_id=message.id)
        log.info("SMS %s (%s) to %s", message.id, message.purpose, mask_phone(message.to_phone))
        return provider.send_sms(message.to_phone, message.body or "", status_url)
    callback = message.callback
    if callback is None:
        raise ProviderError("a call without a callback request", retryable=False)
    log.info("call %s (%s) to %s", message.id, message.purpose, mask_phone(message.to_phone))
    return provider.start_call(
        message.to_phone,
        public_url("twilio_webhooks.callback_voice", public_id=callback.public_id),
        public_url("twilio_webhooks.callback_status", public_id=callback.public_id),
    )


def record_message_status(message_id: int, status: str, error_code: str | None) -> None:
    """Twilio's status callback for an SMS: sent, delivered, undelivered or failed."""
    message = db.session.get(OutboundMessage, message_id)
    if message is None:
        return
    if status == "delivered":
        message.status = "delivered"
    elif status in ("undelivered", "failed"):
        message.status = "failed"
        message.last_error = f"Twilio: {status}" + (f" (error {error_code})" if error_code else "")


def requeue_stale(now: datetime) -> int:
    """Enqueue again what waits longer than every retry could take (an enqueue was lost)."""
    config = current_app.config
    patience = timedelta(
        seconds=sum(config["MESSAGING_RETRY_INTERVALS_S"])
        + config["MESSAGING_JOB_TIMEOUT_S"] * (len(config["MESSAGING_RETRY_INTERVALS_S"]) + 1)
        + 120
    )
    stale = db.session.scalars(
        select(OutboundMessage).where(
            or_(OutboundMessage.status == "queued", OutboundMessage.status == "retrying"),
            OutboundMessage.updated_at < now - patience,
        )
    ).all()
    for message in stale:
        message.updated_at = now  # patience again before the next try
        enqueue_after_commit(db.session(), message.id)
    return len(stale)
