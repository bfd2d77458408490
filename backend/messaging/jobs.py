"""Queue jobs: what the messaging worker runs, each one unit of work that commits once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import current_app
from rq import get_current_job

from backend.extensions import db
from backend.mail.operations import MailError, send_message
from backend.messaging.callbacks import call_failed, call_started, call_status_changed
from backend.messaging.housekeeping import run_housekeeping
from backend.messaging.outbound import RetryLater, deliver
from backend.messaging.staff_alerts import pending_alert_mails, record_alert_mail

log = logging.getLogger(__name__)


def deliver_job(message_id: int) -> str:
    """Deliver one message; a failed attempt is committed, then raised for RQ to retry."""
    job = get_current_job()
    last_attempt = job is None or not job.retries_left
    try:
        message, sent = deliver(message_id, last_attempt=last_attempt)
        callback = message.callback if message is not None else None
        if callback is not None and message.kind == "call":
            if sent is not None:
                call_started(callback, sent.sid)
                if sent.simulated_call_status:  # the console provider: nobody can answer
                    call_status_changed(callback, sent.simulated_call_status)
            elif message.status == "failed":
                call_failed(callback, message.last_error or "")
        db.session.commit()
        return message.status if message is not None else "gone"
    except RetryLater:
        db.session.commit()  # the failed attempt stays recorded
        raise
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.remove()


def housekeeping_job() -> dict[str, int]:
    """The worker's periodic job: purge numbers, duty notices, re-enqueue lost messages,
    and e-mail the guild staff about shifts that started unconfirmed."""
    try:
        now = datetime.now(UTC)
        done = run_housekeeping(now)
        db.session.commit()
        done["alert_mails"] = mail_staff_alerts(now)
        return done
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.remove()


def mail_staff_alerts(now: datetime) -> int:
    """E-mail each guild's staff the alerts not mailed yet; returns how many mails went.

    Each mail is committed as sent right after the SMTP server took it, so a later
    failure cannot send it again; a mail the server refused is tried at the next tick.
    """
    base = (current_app.config.get("CONSOLE_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    sent = 0
    for mail in pending_alert_mails(f"{base}/console/messaging/alerts"):
        try:
            send_message(", ".join(mail.recipients), mail.subject, mail.body)
        except MailError as exc:
            log.warning("duty alert mail for guild %s not sent: %s", mail.guild.slug, exc)
            continue
        record_alert_mail(mail, now)
        db.session.commit()
        sent += 1
    return sent
