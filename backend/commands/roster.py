"""``flask roster ...`` (placeholder until the CSV import lands)."""

from flask.cli import AppGroup

roster_cli = AppGroup("roster", help="Import and export roster as CSV.")
