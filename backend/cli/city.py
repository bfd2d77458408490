"""``flask city ...``: partner cities (towns whose portals embed the widgets)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from backend.extensions import db
from backend.widgets.operations import (
    OriginError,
    UnknownCity,
    allow_origin,
    disallow_origin,
    find_city,
    save_theme,
)
from backend.widgets.theme import ThemeError, effective_theme

city_cli = AppGroup("city", help="Manage partner cities and the portals that embed them.")


# --- Widget framing and theme (backend/widgets) -------------------------------------


def _city(slug: str):
    try:
        return find_city(slug, active_only=False)
    except UnknownCity as exc:
        raise click.ClickException(str(exc)) from exc


@city_cli.command("allow-origin")
@click.argument("slug")
@click.argument("origin")
def allow_origin_command(slug: str, origin: str) -> None:
    """Let the portal at ORIGIN (scheme, host, optional port) frame the widget of SLUG."""
    city = _city(slug)
    try:
        normalised, added = allow_origin(city, origin, actor="cli")
    except OriginError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    if added:
        click.echo(f"{city.slug}: {normalised} may now frame the widget.")
    else:
        click.echo(f"{city.slug}: {normalised} was already allowed; nothing changed.")
    click.echo(f"Allowed origins: {', '.join(city.allowed_origins) or 'none'}")


@city_cli.command("disallow-origin")
@click.argument("slug")
@click.argument("origin")
def disallow_origin_command(slug: str, origin: str) -> None:
    """Stop the portal at ORIGIN from framing the widget of SLUG."""
    city = _city(slug)
    normalised, removed = disallow_origin(city, origin, actor="cli")
    db.session.commit()
    if not removed:
        known = ", ".join(city.allowed_origins) or "none"
        raise click.ClickException(
            f"{city.slug}: {normalised} is not an allowed origin (allowed: {known})."
        )
    click.echo(f"{city.slug}: {normalised} may no longer frame the widget.")
    click.echo(f"Allowed origins: {', '.join(city.allowed_origins) or 'none'}")


@city_cli.command("theme")
@click.argument("slug")
@click.option("--background", help="Page background, e.g. #ffffff")
@click.option("--text", help="Text colour, e.g. #16181d")
@click.option("--primary", help="Links, headings and buttons, e.g. #1d4ed8")
@click.option("--on-primary", "on_primary", help="Text on buttons, e.g. #ffffff")
@click.option("--reset", is_flag=True, help="Go back to the default colours.")
def theme_command(slug: str, reset: bool, **colours: str | None) -> None:
    """Show or set the widget colours of SLUG (contrast checked: at least 4.5:1)."""
    city = _city(slug)
    given = {key: value for key, value in colours.items() if value is not None}
    if given or reset:
        new = {} if reset else {**(city.theme or {}), **given}
        try:
            save_theme(city, new, actor="cli")
        except ThemeError as exc:
            raise click.ClickException(f"Theme refused: {exc}") from exc
        db.session.commit()
    for key, value in effective_theme(city.theme).items():
        click.echo(f"{key:12} {value}")
