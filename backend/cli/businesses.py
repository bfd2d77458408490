"""``flask businesses import FILE --guild SLUG`` and ``flask businesses export --guild SLUG``."""

from __future__ import annotations

import getpass
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, BinaryIO

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from backend.extensions import db
from backend.imports.businesses import ImportConflict, export_businesses_csv, import_businesses_csv
from backend.imports.report import ImportReport
from backend.organisations.operations import OrganisationError

businesses_cli = AppGroup("businesses", help="Import and export businesses as CSV.")

guild_option = click.option(
    "--guild", "guild_slug", required=True, help="Slug of the guild association, e.g. harz-bode."
)
dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Check the file and report what would change; write nothing."
)
keep_valid_option = click.option(
    "--keep-valid",
    is_flag=True,
    help="Write the valid rows even if other rows are bad (the bad ones are reported).",
)
output_option = click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="File to write (default: standard output).",
)


def cli_actor() -> str:
    """Who the audit log names for a command-line import: ``cli:<login name>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


def run_import(do_import: Callable[[], ImportReport]) -> None:
    """Run an import, print every bad value and the summary; exit 1 if bad and not written.

    Expected failures (unknown guild, database errors) become one-line messages, never a
    traceback; the import's transaction has then been rolled back.
    """
    try:
        report = do_import()
        db.session.commit()  # the command's one unit of work (nothing flushed if not written)
    except (OrganisationError, ImportConflict) as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise click.ClickException(f"database error, nothing written: {reason}") from exc
    for error in report.errors:
        click.echo(f"{error}", err=True)
    click.echo(report.summary())
    if report.errors and not report.written:
        if not report.dry_run:
            click.echo(
                "Fix the lines above, or use --keep-valid to write the valid rows.", err=True
            )
        raise click.exceptions.Exit(1)


@contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """Standard output, or a file that appears only once it is complete."""
    if path is None:
        yield sys.stdout
        return
    directory = os.path.dirname(os.path.abspath(path))
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (renamed into place when complete)
        "w", encoding="utf-8", newline="", dir=directory, suffix=".part", delete=False
    )
    try:
        with handle:
            yield handle
        os.replace(handle.name, path)
    except BaseException:
        os.unlink(handle.name)
        raise


def run_export(path: str | None, do_export: Callable[[IO[str]], int], noun: str) -> None:
    """Export to ``path`` (or stdout), reporting the count on stderr."""
    try:
        with open_output(path) as stream:
            count = do_export(stream)
    except OrganisationError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror}") from exc
    click.echo(f"Exported {count} {noun}" + (f" to {path}." if path else "."), err=True)


@businesses_cli.command("import")
@click.argument("file", type=click.File("rb"))
@guild_option
@dry_run_option
@keep_valid_option
def import_command(file: BinaryIO, guild_slug: str, dry_run: bool, keep_valid: bool) -> None:
    """Create or update the guild's businesses from a CSV FILE (matched by ref).

    UTF-8 with or without BOM, separated by ',' or ';'. Nothing is written if any row is
    bad, unless --keep-valid is given.
    """
    config = current_app.config
    run_import(
        lambda: import_businesses_csv(
            file,
            guild_slug,
            dry_run=dry_run,
            keep_valid=keep_valid,
            actor=cli_actor(),
            max_radius_km=float(config["MAX_SERVICE_RADIUS_KM"]),
            geocoder_url=config.get("GEOCODER_URL") or None,
            geocoder_user_agent=config.get("GEOCODER_USER_AGENT", "handwerker-schnellruf"),
            geocoder_timeout=config.get("GEOCODER_TIMEOUT_S"),
            source=file.name,
        )
    )


@businesses_cli.command("export")
@guild_option
@output_option
@click.option("--excel", is_flag=True, help="With a byte order mark and ';', for Excel.")
def export_command(guild_slug: str, output: str | None, excel: bool) -> None:
    """Write the guild's businesses as CSV, in the format the import reads.

    Cells beginning with =, +, - or @ get a leading ' so that no spreadsheet runs them as
    formulas; the import reads them back unchanged.
    """
    run_export(
        output,
        lambda stream: export_businesses_csv(guild_slug, stream, excel=excel),
        "businesses",
    )
