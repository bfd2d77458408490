"""Sending e-mail through a real SMTP connection."""

from __future__ import annotations

import socket

import pytest

from backend.mail.operations import MailError, send_message


def test_a_message_arrives_with_sender_subject_and_utf8_text(app, app_context, smtp_server):
    message_id = send_message("innung@example.org", "Prüfung fällig", "Grüße aus Halberstadt\n")
    [message] = smtp_server.inbox.wait_for(1)
    assert message["To"] == "innung@example.org"
    assert message["Subject"] == "Prüfung fällig"
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert message["Message-ID"] == message_id
    assert message.get_content().replace("\r\n", "\n") == "Grüße aus Halberstadt\n"
    assert smtp_server.inbox.envelopes[0][1] == ["innung@example.org"]


def test_an_unreachable_server_raises_mail_error(app, app_context, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    with pytest.raises(MailError, match=f"127.0.0.1:{port}"):
        send_message("a@example.org", "x", "y")
