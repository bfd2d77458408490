"""Providers that deliver an SMS or start a call: Twilio, or the console (nothing leaves).

``MESSAGING_PROVIDER`` chooses one per process; :func:`get_provider` builds it from the
current configuration. Both answer with the provider's id (sid) or raise
:class:`ProviderError`, saying whether another attempt may succeed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import requests
from flask import current_app
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"


class ProviderError(RuntimeError):
    """Delivery failed; ``retryable`` when a later attempt may succeed (outage, timeout)."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Sent:
    """What the provider answered: its id, and for the console a simulated call status."""

    sid: str
    simulated_call_status: str | None = None


class Provider(Protocol):
    """Sends SMS and starts calls."""

    name: str

    def send_sms(self, to: str, body: str, status_callback: str | None) -> Sent:
        """Send ``body`` to ``to`` (E.164)."""

    def start_call(self, to: str, twiml_url: str, status_callback: str) -> Sent:
        """Call ``to``; the provider fetches the call's instructions from ``twiml_url``."""


def mask_phone(e164: str | None) -> str:
    """A number fit for logs: country code and last two digits (``+49*********67``)."""
    if not e164:
        return "-"
    return f"{e164[:3]}{'*' * max(len(e164) - 5, 0)}{e164[-2:]}"


class ConsoleProvider:
    """Writes each message to the log (numbers masked); nothing leaves the machine.

    Nobody can answer a console call, so a call reports "no-answer" at once: the
    callback then takes the same not-answered path (an SMS) as with Twilio.
    """

    name = "console"

    def send_sms(self, to: str, body: str, status_callback: str | None) -> Sent:
        """Log the SMS; its text is in the console's message list."""
        sid = f"CONSOLE-SM{uuid.uuid4().hex[:24]}"
        log.info("console SMS %s to %s (%d characters)", sid, mask_phone(to), len(body))
        return Sent(sid)

    def start_call(self, to: str, twiml_url: str, status_callback: str) -> Sent:
        """Log the call and report it as not answered."""
        sid = f"CONSOLE-CA{uuid.uuid4().hex[:24]}"
        log.info("console call %s to %s (not answered: console provider)", sid, mask_phone(to))
        return Sent(sid, simulated_call_status="no-answer")


class _BaseUrlHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, sending what it would send to api.twilio.com elsewhere.

    The twilio library builds absolute URLs on https://api.twilio.com; its edge/region
    settings only rename hosts under twilio.com, so another server (a test double, a
    recording proxy) is reached by rewriting the scheme and host here.
    """

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args, **kwargs) -> Response:
        """Send the request to ``base_url`` instead of Twilio's host."""
        if self.base_url and url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


class TwilioProvider:
    """The real twilio client; TWILIO_API_BASE_URL may point it at another server."""

    name = "twilio"

    def __init__(self, account_sid: str, auth_token: str, from_number: str, client: Client):
        self.account_sid = account_sid
        self.from_number = from_number
        self.client = client

    def send_sms(self, to: str, body: str, status_callback: str | None) -> Sent:
        """POST .../Messages.json."""
        extra = {"status_callback": status_callback} if status_callback else {}
        with _translated_errors():
            message = self.client.messages.create(to=to, from_=self.from_number, body=body, **extra)
        return Sent(message.sid)

    def start_call(self, to: str, twiml_url: str, status_callback: str) -> Sent:
        """POST .../Calls.json; Twilio reports the call's end to ``status_callback``."""
        with _translated_errors():
            call = self.client.calls.create(
                to=to,
                from_=self.from_number,
                url=twiml_url,
                status_callback=status_callback,
                status_callback_event=["completed"],
                # Ring long enough for someone in a van, not into the voicemail.
                timeout=25,
            )
        return Sent(call.sid)


@contextmanager
def _translated_errors() -> Iterator[None]:
    """Turn the twilio client's and requests' exceptions into :class:`ProviderError`."""
    try:
        yield
    except TwilioRestException as exc:
        # 429 and 5xx: Twilio is overloaded or down. Other 4xx: this request is wrong.
        retryable = exc.status == 429 or exc.status >= 500
        message = f"Twilio {exc.status} (code {exc.code}): {exc.msg}"
        raise ProviderError(message[:480], retryable=retryable) from exc
    except requests.RequestException as exc:
        message = f"Twilio not reachable: {type(exc).__name__}"
        raise ProviderError(message, retryable=True) from exc


def get_provider() -> Provider:
    """The provider the configuration asks for (``MESSAGING_PROVIDER``)."""
    config = current_app.config
    name = config.get("MESSAGING_PROVIDER", "console")
    if name == "console":
        return ConsoleProvider()
    if name != "twilio":
        raise ValueError(f"MESSAGING_PROVIDER must be 'console' or 'twilio', not {name!r}")
    base_url = config.get("TWILIO_API_BASE_URL") or ""
    if base_url and not urlsplit(base_url).scheme:
        raise ValueError(f"TWILIO_API_BASE_URL needs a scheme (http:// or https://): {base_url}")
    http_client = _BaseUrlHttpClient(base_url, timeout=float(config["TWILIO_TIMEOUT_S"]))
    client = Client(
        config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"], http_client=http_client
    )
    return TwilioProvider(
        config["TWILIO_ACCOUNT_SID"],
        config["TWILIO_AUTH_TOKEN"],
        config["TWILIO_FROM_NUMBER"],
        client,
    )
