"""Callback requests: the business is called first and, on "1", bridged to the resident.

States (what the resident's app shows): ``queued`` → ``calling_business`` → ``connected``,
or ``business_not_answered`` (the business gets the resident's number by SMS and the
resident is asked to try the next business), or ``failed`` (the call could not be
started: Twilio down after every retry, or the number refused).
"""

from __future__ import annotations

import uuid

import phonenumbers
from phonenumbers import PhoneNumberType
from sqlalchemy import select

from backend.businesses.models import Business
from backend.businesses.phones import PhoneNumberError, format_national, normalise_phone
from backend.extensions import db
from backend.messaging.models import CallbackRequest, OutboundMessage
from backend.messaging.outbound import queue_message
from backend.reference.catalogue import get_emergency

# Numbers a resident can be called back on: no premium, shared-cost or service numbers.
_CALLABLE_TYPES = frozenset(
    {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
# Twilio's CallStatus values that end a call the business did not accept.
_NOT_ANSWERED = frozenset({"no-answer", "busy", "failed", "canceled", "completed"})


class CallbackError(ValueError):
    """A callback request that cannot be accepted, explained in English and German."""

    def __init__(self, parameter: str, message: str, message_de: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.message_de = message_de


def callback_number(raw: str) -> str:
    """The resident's number in E.164; only German (+49) mobile and landline numbers."""
    try:
        e164 = normalise_phone(raw)
    except PhoneNumberError as exc:
        raise CallbackError("phone", exc.message, exc.message_de) from exc
    number = phonenumbers.parse(e164)
    if number.country_code != 49:
        raise CallbackError(
            "phone",
            "Callbacks go to German numbers (+49) only.",
            "Rückrufe gehen nur an deutsche Telefonnummern (+49).",
        )
    if phonenumbers.number_type(number) not in _CALLABLE_TYPES:
        raise CallbackError(
            "phone",
            "Give a mobile or landline number (no service or premium numbers).",
            "Bitte eine Mobil- oder Festnetznummer angeben (keine Service- oder Sondernummern).",
        )
    return e164


def request_callback(
    business_id: int, phone: str, emergency: str | None, channel: str
) -> CallbackRequest:
    """Record the request and queue the call to the business (sent after the commit)."""
    resident = callback_number(phone)
    if emergency is not None:
        get_emergency(emergency)  # raises UnknownSlug naming the valid ones
    business = db.session.get(Business, business_id)
    if business is None or not business.listed:  # the search's rule of who is shown
        raise CallbackError(
            "business_id",
            f"No listed business has id {business_id}.",
            f"Kein gelisteter Betrieb hat die Nummer {business_id}.",
        )
    callback = CallbackRequest(
        public_id=str(uuid.uuid4()),
        business=business,
        resident_phone=resident,
        emergency=emergency,
        channel=channel,
        state="queued",
    )
    db.session.add(callback)
    queue_message(
        kind="call",
        purpose="callback_call",
        to_phone=business.emergency_phone or business.phone,
        business=business,
        callback=callback,
    )
    return callback


def find_callback(public_id: str) -> CallbackRequest | None:
    """The callback request with this public id."""
    return db.session.scalar(select(CallbackRequest).where(CallbackRequest.public_id == public_id))


def call_started(callback: CallbackRequest, call_sid: str) -> None:
    """The provider accepted the call to the business."""
    callback.call_sid = call_sid
    if callback.state == "queued":
        callback.state = "calling_business"


def call_failed(callback: CallbackRequest, reason: str) -> None:
    """No call could be started: the resident is told to call directly."""
    if callback.state in ("queued", "calling_business"):
        callback.state = "failed"
        callback.failure = reason[:300]


def pressed(callback: CallbackRequest, digits: str) -> bool:
    """The business answered the prompt; True when it pressed 1 and is to be bridged."""
    if digits != "1" or callback.resident_phone is None:
        return False
    if callback.state in ("calling_business", "connected"):
        callback.state = "connected"
        return True
    return False


def call_status_changed(callback: CallbackRequest, status: str) -> None:
    """Twilio reported the call's end; without a "1" the business did not answer.

    Repeated reports (Twilio retries) change nothing twice: the state has moved on.
    """
    callback.call_status = status[:24]
    if callback.state != "calling_business" or status not in _NOT_ANSWERED:
        return
    callback.state = "business_not_answered"
    _tell_business_by_sms(callback)


def _tell_business_by_sms(callback: CallbackRequest) -> None:
    """The resident's number by SMS to the business's mobile, if it has one."""
    business = callback.business
    if not business.mobile or callback.resident_phone is None:
        return
    queue_message(
        kind="sms",
        purpose="callback_sms",
        to_phone=business.mobile,
        body=missed_callback_text(callback),
        business=business,
        callback=callback,
    )


def missed_callback_text(callback: CallbackRequest) -> str:
    """The SMS to a business that did not answer: what, and the number to call back."""
    what = get_emergency(callback.emergency).label_de if callback.emergency else "ein Notfall"
    return (
        f"Handwerker-Schnellruf: Rückrufbitte ({what}). Bitte rufen Sie "
        f"{format_national(callback.resident_phone or '')} zurück. Die Person wurde gebeten, "
        "es auch bei anderen Betrieben zu versuchen."
    )


def business_notified_by_sms(callback: CallbackRequest) -> bool:
    """Whether an SMS with the resident's number went (or goes) to the business."""
    return (
        db.session.scalar(
            select(OutboundMessage.id).where(
                OutboundMessage.callback_id == callback.id,
                OutboundMessage.purpose == "callback_sms",
                OutboundMessage.status != "failed",
            )
        )
        is not None
    )


def state_message(state: str, notified_by_sms: bool) -> tuple[str, str]:
    """What the resident reads for a state (German, English)."""
    if state == "business_not_answered":
        sms_de = " Der Betrieb bekommt Ihre Nummer per SMS." if notified_by_sms else ""
        sms_en = " The business gets your number by SMS." if notified_by_sms else ""
        return (
            f"Der Betrieb hat nicht abgenommen.{sms_de} Bitte versuchen Sie den nächsten "
            "Betrieb in der Liste.",
            f"The business did not answer.{sms_en} Please try the next business in the list.",
        )
    return _STATE_MESSAGES[state]


_STATE_MESSAGES = {
    "queued": ("Ihre Rückrufbitte ist eingegangen.", "Your callback request was received."),
    "calling_business": (
        "Wir rufen den Betrieb an …",
        "We are calling the business …",
    ),
    "connected": (
        "Der Betrieb hat angenommen: Ihr Telefon klingelt gleich.",
        "The business accepted: your phone will ring in a moment.",
    ),
    "failed": (
        "Der Rückruf konnte nicht ausgelöst werden. Bitte rufen Sie direkt an oder versuchen "
        "Sie den nächsten Betrieb.",
        "The callback could not be started. Please call directly or try the next business.",
    ),
}
