"""Flask CLI commands: ``flask --app backend guild|businesses|roster|seed-demo ...``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the command groups."""
