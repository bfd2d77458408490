"""``flask seed-demo``: load the fictional demo region."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.demo import region as demo
from backend.extensions import db
from backend.imports.businesses import import_businesses
from backend.imports.rosters import import_roster
from backend.organisations.models import GuildAssociation
from backend.organisations.operations import create_city, create_guild, create_staff_user
from backend.roster.coverage import coverage_km_for_population


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo guild already exists.")
@click.option("--businesses", "count", default=300, show_default=True, type=click.IntRange(12))
@with_appcontext
def seed_demo_command(if_empty: bool, count: int) -> None:
    """Load the fictional demo region Harz-Bode (guild, cities, businesses, roster, admin)."""
    exists = db.session.scalar(
        select(GuildAssociation).where(GuildAssociation.slug == demo.GUILD_SLUG)
    )
    if exists:
        if if_empty:
            click.echo("Demo region already present; nothing to do.")
            return
        raise click.ClickException("The demo region is already loaded.")
    guild = create_guild(demo.GUILD_SLUG, demo.GUILD_NAME, actor="seed-demo")
    for slug, name, lat, lon, radius, origin in demo.CITIES:
        city = create_city(slug, name, lat, lon, default_radius_km=radius,
                           allowed_origins=[origin], actor="seed-demo")  # fmt: skip
        city.coverage_km = coverage_km_for_population(demo.CITY_POPULATION.get(slug))
    _, password = create_staff_user(
        demo.ADMIN_EMAIL, "Demo-Administrator", "admin", actor="seed-demo"
    )
    _, staff_password = create_staff_user(
        demo.STAFF_EMAIL, "Demo-Innungsmitarbeiterin", "guild_staff", guild=guild,
        actor="seed-demo",
    )  # fmt: skip
    db.session.commit()
    rows = list(demo.demo_businesses(count))
    options = {"actor": "seed-demo", "max_radius_km": current_app.config["MAX_SERVICE_RADIUS_KM"]}
    report = import_businesses(rows, demo.GUILD_SLUG, **options)
    _require_clean(report, "Businesses")
    roster = import_roster(list(demo.demo_roster(rows, datetime.now(UTC))), demo.GUILD_SLUG,
                           actor="seed-demo")  # fmt: skip
    _require_clean(roster, "Roster")
    db.session.commit()
    click.echo("All demo businesses are fictional; their numbers are reserved for fiction.")
    click.echo("Console: http://127.0.0.1:5000/console/login (first sign-in: new password, TOTP)")
    click.echo(f"Admin login: {demo.ADMIN_EMAIL}  password (shown once): {password}")
    click.echo(f"Guild staff login: {demo.STAFF_EMAIL}  password (shown once): {staff_password}")


def _require_clean(report, what: str) -> None:
    """Print the import summary; generated demo data with a bad row is a bug: stop loudly."""
    click.echo(f"{what}: {report.summary()}")
    if report.errors:
        lines = "\n".join(f"line {e.line}, {e.column}: {e.message}" for e in report.errors[:10])
        raise click.ClickException(f"The generated demo data has bad rows:\n{lines}")
