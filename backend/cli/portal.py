"""``flask demo-portal``: serve the stand-in town portals on a second local port."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.serving import run_simple

from backend.extensions import db
from backend.organisations.models import PartnerCity
from backend.widgets.demo_portal import create_portal_app


@click.command("demo-portal")
@click.option("--port", default=5001, show_default=True, help="Port of the portal server.")
@click.option("--widget-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the widget server runs.")  # fmt: skip
@with_appcontext
def demo_portal_command(port: int, widget_url: str) -> None:
    """Serve a demo portal page per partner city that embeds its widget.

    The cities must allow the portal's origin: ``flask city allow-origin SLUG
    http://127.0.0.1:PORT`` (``make run`` does it for the demo cities).
    """
    cities = [
        (slug, name)
        for slug, name in db.session.execute(
            select(PartnerCity.slug, PartnerCity.name)
            .where(PartnerCity.active.is_(True))
            .order_by(PartnerCity.name)
        )
    ]
    db.session.remove()
    origin = f"http://127.0.0.1:{port}"
    click.echo(f"Demo portals at {origin}/ (widgets from {widget_url}):")
    for slug, _ in cities:
        click.echo(f"  {origin}/demo/portal/{slug}")
    run_simple("127.0.0.1", port, create_portal_app(widget_url, cities), threaded=True)
