"""A real SMTP server for tests (aiosmtpd on 127.0.0.1, port 0) and its fixture.

Use it from any test package: ``from tests.mail.smtp import smtp_server  # noqa: F401``
in that package's conftest.py; the fixture points ``MAIL_SERVER``/``MAIL_PORT`` at it.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class _Inbox:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """The messages once at least ``count`` have arrived (fails after ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.messages)} of {count} messages arrived"
                self._arrived.wait(left)
            return list(self.messages)


class _EphemeralController(Controller):
    """Listens on a port the system picks (port 0) and learns which one it got."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SMTPServer:
    """A running server: ``port``, ``inbox.messages``, ``inbox.wait_for(n)``, ``stop()``."""

    def __init__(self) -> None:
        self.inbox = _Inbox()
        self._controller = _EphemeralController(self.inbox, hostname="127.0.0.1", port=0)
        self._controller.start()
        self.port = self._controller.port

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()


@pytest.fixture
def smtp_server(app, monkeypatch) -> Iterator[SMTPServer]:
    """A local SMTP server the app sends to during this test."""
    server = SMTPServer()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    yield server
    server.stop()
