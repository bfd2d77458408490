"""``flask staff create EMAIL --role ROLE [--guild SLUG] [--city SLUG]`` and friends."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from backend.cli.businesses import cli_actor
from backend.extensions import db
from backend.organisations.accounts import find_by_email, set_active
from backend.organisations.models import STAFF_ROLES, PartnerCity
from backend.organisations.operations import OrganisationError, create_staff_user, get_guild

staff_cli = AppGroup("staff", help="Staff accounts of the console (/console/).")


def _city(slug: str) -> PartnerCity:
    city = db.session.scalar(select(PartnerCity).where(PartnerCity.slug == slug))
    if city is None:
        known = ", ".join(db.session.scalars(select(PartnerCity.slug))) or "none yet"
        raise click.ClickException(f"Unknown partner city '{slug}' (known: {known}).")
    return city


@staff_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(STAFF_ROLES))
@click.option("--guild", "guild_slug", help="Guild association (required for guild_staff).")
@click.option("--city", "city_slug", help="Partner city (required for city_editor).")
@click.option("--name", "display_name", help="Name shown in the console (default: e-mail).")
def create_command(
    email: str, role: str, guild_slug: str | None, city_slug: str | None, display_name: str | None
) -> None:
    """Create an account and print its one-time password once.

    The first sign-in at /console/login sets a new password and, for admin and
    guild_staff, enrols the second factor (an authenticator app).
    """
    try:
        guild = get_guild(guild_slug) if guild_slug else None
        city = _city(city_slug) if city_slug else None
        user, password = create_staff_user(
            email, display_name or email, role, guild=guild, city=city, actor=cli_actor()
        )
    except OrganisationError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}.")
    click.echo(f"One-time password (shown once, to be changed at the first sign-in): {password}")


@staff_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Deactivate an account; its open sessions end at once."""
    user = find_by_email(email)
    if user is None:
        raise click.ClickException(f"No staff account '{email}'.")
    set_active(user, False, actor=cli_actor())
    db.session.commit()
    click.echo(f"Deactivated {user.email}; its sessions have ended.")
