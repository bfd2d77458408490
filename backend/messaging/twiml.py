"""TwiML answers (built with the twilio library): the call to the business, SMS replies."""

from __future__ import annotations

from flask import current_app
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from backend.messaging.models import CallbackRequest
from backend.reference.catalogue import get_emergency

LANGUAGE = "de-DE"


def _say(response, text: str) -> None:
    response.say(text, language=LANGUAGE)


def business_prompt(callback: CallbackRequest, gather_url: str) -> str:
    """Who asks, for which emergency, and "press 1"; said twice, then goodbye."""
    what = get_emergency(callback.emergency).label_de if callback.emergency else "einen Notfall"
    operator = current_app.config.get("OPERATOR", {}).get("name", "")
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=gather_url, method="POST", timeout=8)
    text = (
        f"Guten Tag, hier ist der Handwerker-Schnellruf{' der ' + operator if operator else ''}. "
        f"Eine Person aus Ihrer Umgebung bittet um Rückruf wegen: {what}. "
        "Wenn Sie jetzt verbunden werden möchten, drücken Sie 1."
    )
    _say(gather, text)
    _say(gather, "Zum Verbinden drücken Sie bitte die 1.")
    _say(response, "Wir haben keine Eingabe erhalten. Auf Wiederhören.")
    response.hangup()
    return str(response)


def bridge(resident_phone: str, caller_id: str, dial_url: str) -> str:
    """Connect the business to the resident."""
    response = VoiceResponse()
    _say(response, "Sie werden jetzt verbunden.")
    response.dial(resident_phone, caller_id=caller_id or None, action=dial_url, timeout=30)
    return str(response)


def goodbye(text: str = "Vielen Dank. Auf Wiederhören.") -> str:
    """End the call politely."""
    response = VoiceResponse()
    _say(response, text)
    response.hangup()
    return str(response)


def sms_reply(text: str) -> str:
    """The answer to an inbound SMS."""
    response = MessagingResponse()
    response.message(text)
    return str(response)
