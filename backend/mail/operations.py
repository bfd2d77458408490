"""Send one e-mail through the configured SMTP server (smtplib; STARTTLS or TLS on request)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def build_message(to: str, subject: str, text: str, *, sender: str | None = None) -> EmailMessage:
    """A plain-text UTF-8 message from ``MAIL_DEFAULT_SENDER`` (or ``sender``) to ``to``."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = sender or config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    domain = message["From"].addresses[0].domain or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    return message


def send_message(to: str, subject: str, text: str, *, sender: str | None = None) -> str:
    """Send a plain-text message now; returns its Message-ID, raises :class:`MailError`.

    Settings: ``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USE_TLS`` (STARTTLS),
    ``MAIL_USE_SSL`` (TLS from the start), ``MAIL_USERNAME``/``MAIL_PASSWORD`` (login
    when set), ``MAIL_TIMEOUT_S``.
    """
    config = current_app.config
    message = build_message(to, subject, text, sender=sender)
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    timeout = float(config.get("MAIL_TIMEOUT_S", 10))
    try:
        if config.get("MAIL_USE_SSL"):
            connection = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
        with connection:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                connection.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            connection.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("mail to %s not sent: %s", to, exc)
        raise MailError(f"could not send mail via {host}:{port}: {exc}") from exc
    return message["Message-ID"]
