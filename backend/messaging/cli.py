"""``flask messaging worker|purge|housekeeping``."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from backend.extensions import db
from backend.messaging.housekeeping import run_housekeeping
from backend.messaging.purge import purge_resident_numbers
from backend.messaging.worker import run_worker

messaging_cli = AppGroup("messaging", help="Outbound SMS and calls, and their housekeeping.")


@messaging_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Deliver queued SMS and calls (run one or more next to the web server)."""
    run_worker(current_app._get_current_object(), burst=burst)


@messaging_cli.command("purge")
def purge_command() -> None:
    """Delete residents' callback numbers older than CALLBACK_PHONE_RETENTION_H hours."""
    purged = purge_resident_numbers(datetime.now(UTC))
    db.session.commit()
    hours = current_app.config["CALLBACK_PHONE_RETENTION_H"]
    click.echo(f"Deleted the numbers of {purged} callback requests older than {hours} hours.")


@messaging_cli.command("housekeeping")
def housekeeping_command() -> None:
    """Run the worker's periodic job once (purge, duty requests, reminders, alerts)."""
    done = run_housekeeping(datetime.now(UTC))
    db.session.commit()
    click.echo(", ".join(f"{key}: {value}" for key, value in done.items()))
