"""``flask backup create PATH`` and ``flask backup restore PATH`` (see backend/core/backup.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from backend.core.backup import BackupError, create_backup, restore_backup

backup_cli = AppGroup("backup", help="Back the database up, or restore a backup.")


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def create_command(path: Path) -> None:
    """Write a consistent backup of the database to PATH (while the app keeps running)."""
    if path.exists():
        raise click.ClickException(f"{path} exists: choose a new file")
    try:
        create_backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {path} ({path.stat().st_size} bytes).")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: the current data is replaced.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the whole database by the backup PATH (stop the web servers and workers first)."""
    if not yes:
        click.confirm("Replace every row of the current database by the backup?", abort=True)
    try:
        restore_backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {path}. Start the web servers and workers again.")
