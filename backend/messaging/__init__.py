"""Messaging: callback requests, duty by SMS and confirmed duty, through Twilio or the console.

Outbound SMS and calls are recorded (:mod:`.outbound`) and delivered by an RQ worker
(:mod:`.worker`, ``flask messaging worker``) through the provider ``MESSAGING_PROVIDER``
names (:mod:`.providers`); Twilio's webhooks (:mod:`.webhooks`) are all signed.
"""

from __future__ import annotations

import logging

from flask import Flask

from backend.messaging.cli import messaging_cli
from backend.messaging.webhooks import bp


def init_app(app: Flask) -> None:
    """Register the Twilio webhooks and the ``messaging`` commands."""
    app.register_blueprint(bp)
    app.cli.add_command(messaging_cli)
    # The twilio client logs each request's URL at INFO; ours say enough (numbers masked).
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
