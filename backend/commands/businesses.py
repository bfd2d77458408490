"""``flask businesses ...`` (placeholder until the CSV import lands)."""

from flask.cli import AppGroup

businesses_cli = AppGroup("businesses", help="Import and export businesses as CSV.")
