"""``flask calls purge``: enforce the stated retention of anonymous call events."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from backend.calls.operations import purge_call_events
from backend.extensions import db

calls_cli = AppGroup("calls", help="Anonymous call events.")


@calls_cli.command("purge")
def purge_command() -> None:
    """Delete call events older than CALL_EVENT_RETENTION_DAYS (run daily, e.g. from cron)."""
    days = current_app.config["CALL_EVENT_RETENTION_DAYS"]
    deleted = purge_call_events(days)
    db.session.commit()
    click.echo(f"Deleted {deleted} call events older than {days} days.")
