"""A planned shift still unconfirmed at its start: the guild's staff get one e-mail (real
SMTP server, sent by the real worker's housekeeping job), never a second for that shift."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.messaging.models import DutyNotice
from backend.messaging.queue import HOUSEKEEPING_JOB, messaging_queue
from tests import factories
from tests.console.staff_helpers import make_account
from tests.mail.smtp import smtp_server  # noqa: F401 (fixture)
from tests.messaging.conftest import work_queue


def housekeeping(app) -> None:
    messaging_queue().enqueue(HOUSEKEEPING_JOB)
    work_queue(app)


def started_unconfirmed(business) -> None:
    start = datetime.now(UTC) - timedelta(minutes=3)
    factories.shift(business, "klempner", start, start + timedelta(hours=12))


def test_the_staff_get_one_mail_per_unconfirmed_shift(app, twilio, plumber, smtp_server):  # noqa: F811
    first = make_account("guild_staff", guild=plumber.guild, email="a@innung.example")
    second = make_account("guild_staff", guild=plumber.guild, email="b@innung.example")
    make_account("guild_staff", guild=factories.guild("andere", "Andere KH"))  # not told
    started_unconfirmed(plumber)
    housekeeping(app)
    (mail,) = smtp_server.inbox.wait_for(1)
    _sender, recipients = smtp_server.inbox.envelopes[0]
    assert sorted(recipients) == [first.email, second.email]
    assert mail["Subject"] == "Notdienst nicht bestätigt: 1 – Kreishandwerkerschaft Harz-Bode"
    text = mail.get_content()
    assert plumber.name in text and "Klempner" in text and "ohne dass der Betrieb mit JA" in text
    assert "/console/messaging/alerts" in text and "started without the business" in text

    housekeeping(app)  # the next tick: nothing new, nothing twice
    assert len(smtp_server.inbox.messages) == 1
    kinds = db.session.scalars(select(DutyNotice.kind).order_by(DutyNotice.kind)).all()
    assert kinds == ["alert", "alert_mail"]


def test_an_smtp_failure_is_tried_again_at_the_next_tick(app, twilio, plumber, smtp_server):  # noqa: F811
    make_account("guild_staff", guild=plumber.guild)
    started_unconfirmed(plumber)
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        app.config["MAIL_PORT"] = closed.getsockname()[1]
        housekeeping(app)
    assert db.session.scalars(select(DutyNotice.kind)).all() == ["alert"]
    app.config["MAIL_PORT"] = smtp_server.port
    housekeeping(app)
    assert len(smtp_server.inbox.wait_for(1)) == 1


def test_a_seen_alert_or_a_guild_without_staff_gets_no_mail(app, twilio, plumber, smtp_server):  # noqa: F811
    started_unconfirmed(plumber)
    housekeeping(app)  # nobody to tell
    make_account("guild_staff", guild=plumber.guild)
    notice = db.session.scalars(select(DutyNotice)).one()
    notice.seen_at = datetime.now(UTC)
    db.session.commit()
    housekeeping(app)
    assert smtp_server.inbox.messages == []
