"""Twilio's webhooks under /twilio: the callback call, status reports, inbound SMS.

Every view is signed (:func:`~backend.messaging.signatures.twilio_signed`) and answers
TwiML or an empty 204; each request is one unit of work committed here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, request

from backend.extensions import db
from backend.messaging import twiml
from backend.messaging.callbacks import call_status_changed, find_callback, pressed
from backend.messaging.inbound import handle_inbound_sms
from backend.messaging.outbound import public_url, record_message_status
from backend.messaging.signatures import twilio_signed

bp = Blueprint("twilio_webhooks", __name__, url_prefix="/twilio")


def _xml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


@bp.post("/callbacks/<public_id>/voice")
@twilio_signed
def callback_voice(public_id: str):
    """The business picked up: tell it who asks and for what; "1" connects."""
    callback = find_callback(public_id)
    if callback is None or callback.resident_phone is None:
        return _xml(twiml.goodbye("Diese Anfrage ist nicht mehr aktuell. Auf Wiederhören."))
    gather_url = public_url("twilio_webhooks.callback_gather", public_id=public_id)
    return _xml(twiml.business_prompt(callback, gather_url))


@bp.post("/callbacks/<public_id>/gather")
@twilio_signed
def callback_gather(public_id: str):
    """The business pressed a key: on 1 it is bridged to the resident."""
    callback = find_callback(public_id)
    if callback is None or not pressed(callback, request.form.get("Digits", "")):
        db.session.commit()
        return _xml(twiml.goodbye())
    resident = callback.resident_phone or ""
    db.session.commit()
    dial_url = public_url("twilio_webhooks.callback_dial", public_id=public_id)
    return _xml(twiml.bridge(resident, current_app.config["TWILIO_FROM_NUMBER"], dial_url))


@bp.post("/callbacks/<public_id>/dial")
@twilio_signed
def callback_dial(public_id: str):
    """The bridged leg ended (DialCallStatus): recorded for the console."""
    callback = find_callback(public_id)
    if callback is not None:
        callback.call_status = (request.form.get("DialCallStatus") or "")[:24] or None
        db.session.commit()
    return _xml(twiml.goodbye())


@bp.post("/callbacks/<public_id>/status")
@twilio_signed
def callback_status(public_id: str):
    """The call to the business ended; without a 1 it counts as not answered."""
    callback = find_callback(public_id)
    if callback is not None and callback.call_sid == request.form.get("CallSid"):
        call_status_changed(callback, request.form.get("CallStatus", ""))
        db.session.commit()
    return Response(status=204)


@bp.post("/messages/<int:message_id>/status")
@twilio_signed
def message_status(message_id: int):
    """An SMS was delivered, or not."""
    record_message_status(
        message_id, request.form.get("MessageStatus", ""), request.form.get("ErrorCode")
    )
    db.session.commit()
    return Response(status=204)


@bp.post("/sms")
@twilio_signed
def inbound_sms():
    """An SMS to our number: AN, AUS, STATUS or JA from a business's registered mobile."""
    reply = handle_inbound_sms(
        request.form.get("MessageSid", ""),
        request.form.get("From", ""),
        request.form.get("Body", ""),
        datetime.now(UTC),
    )
    db.session.commit()
    return _xml(twiml.sms_reply(reply))
