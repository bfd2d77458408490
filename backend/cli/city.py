"""``flask city ...``: partner cities (towns whose portals embed the widgets).

``city create`` / ``city update`` (partners join as data: backend/organisations/cities.py),
``city allow-origin`` / ``disallow-origin`` / ``theme`` (backend/widgets).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import click
from flask.cli import AppGroup

from backend.cli.businesses import cli_actor
from backend.extensions import db
from backend.organisations.cities import Centre, add_city, find_centre, get_city, update_city
from backend.organisations.operations import OrganisationError
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


# --- Partner cities as data (backend/organisations) -----------------------------------


def centre_options(command: Callable) -> Callable:
    """--postcode, --town, --lat/--lon: where the town centre lies."""
    for option in reversed([
        click.option("--postcode", help="Centre from this postcode (gazetteer), e.g. 38820."),
        click.option("--town", help="Centre from this town name (gazetteer)."),
        click.option("--lat", type=float, help="Latitude of the centre (with --lon)."),
        click.option("--lon", type=float, help="Longitude of the centre (with --lat)."),
    ]):  # fmt: skip
        command = option(command)
    return command


def distance_options(command: Callable) -> Callable:
    """--radius-km and --coverage-km."""
    coverage = "Duty plan coverage distance (default by town size: 10/16/25 km)."
    command = click.option("--coverage-km", type=float, help=coverage)(command)
    return click.option("--radius-km", type=float, help="Default search radius in km.")(command)


def friendly_errors(command: Callable) -> Callable:
    """Organisation errors become one-line messages; the transaction is rolled back."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except OrganisationError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc

    return wrapper


def _centre(postcode, town, lat, lon) -> Centre | None:
    given = [postcode is not None, town is not None, lat is not None or lon is not None]
    if sum(given) > 1:
        raise click.UsageError("Give one of --postcode, --town or --lat/--lon.")
    if (lat is None) != (lon is None):
        raise click.UsageError("--lat and --lon go together.")
    if lat is not None:
        return Centre(lat, lon, f"{lat}, {lon}")
    if postcode or town:
        return find_centre(postcode=postcode, town=town)
    return None


@city_cli.command("create")
@click.argument("slug")
@click.argument("name")
@centre_options
@distance_options
@friendly_errors
def create_command(slug, name, postcode, town, lat, lon, radius_km, coverage_km) -> None:
    """Add the partner city SLUG called NAME."""
    centre = _centre(postcode, town, lat, lon)
    if centre is None:
        raise click.UsageError("Give --postcode, --town or --lat and --lon for the centre.")
    city = add_city(slug, name, centre, radius_km=radius_km or 25.0, coverage_km=coverage_km,
                    actor=cli_actor())  # fmt: skip
    db.session.commit()
    click.echo(
        f"Created partner city '{city.slug}' ({city.name}) at {city.lat:.4f}, {city.lon:.4f}; "
        f"radius {city.default_radius_km:g} km, coverage {city.coverage_km:g} km."
    )


@city_cli.command("update")
@click.argument("slug")
@click.option("--name", help="New display name.")
@centre_options
@distance_options
@friendly_errors
def update_command(slug, name, postcode, town, lat, lon, radius_km, coverage_km) -> None:
    """Change the partner city SLUG; options not given stay as they are."""
    city = get_city(slug)
    centre = _centre(postcode, town, lat, lon)
    changed = update_city(
        city, actor=cli_actor(), name=name,
        lat=centre.lat if centre else None, lon=centre.lon if centre else None,
        default_radius_km=radius_km, coverage_km=coverage_km,
    )  # fmt: skip
    db.session.commit()
    if not changed:
        click.echo(f"Partner city '{slug}' unchanged.")
    for field, (old, new) in changed.items():
        click.echo(f"{field}: {old} -> {new}")


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
