"""Business tests: the digest talks to a real local SMTP server."""

from tests.mail.smtp import smtp_server  # noqa: F401 (fixture)
