"""Configuration loading: defaults from config/, then instance file, env, and test mapping."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "default.toml"

# Environment variables that may override configuration, with their parsers.
_ENV_OVERRIDES: dict[str, Any] = {
    "SECRET_KEY": str,
    "GEOCODER_URL": str,
    "REDIS_URL": str,
    "API_CORS_ORIGINS": str,
    "MAX_SERVICE_RADIUS_KM": float,
    "TWILIO_ACCOUNT_SID": str,
    "TWILIO_AUTH_TOKEN": str,
    "TWILIO_API_BASE_URL": str,
    "TWILIO_FROM_NUMBER": str,
    "MESSAGING_PROVIDER": str,
    "PUBLIC_BASE_URL": str,
    # Production serving (backend/core/proxy.py, health.py, metrics.py).
    "PROXY_FIX_X_FOR": int,
    "PROXY_FIX_X_PROTO": int,
    "PROXY_FIX_X_HOST": int,
    "PROXY_FIX_X_PORT": int,
    "PROXY_FIX_X_PREFIX": int,
    "TRUSTED_HOSTS": str,
    "DATABASE_POOL_SIZE": int,
    "DATABASE_MAX_OVERFLOW": int,
    "METRICS_ALLOWED_NETWORKS": str,
    "METRICS_TOKEN": str,
}


def default_database_url(app: Flask) -> str:
    """Return the SQLite URL under the instance folder used when DATABASE_URL is unset."""
    return f"sqlite:///{Path(app.instance_path) / 'schnellruf.sqlite'}"


def normalise_database_url(url: str) -> str:
    """Select the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# The SECRET_KEY of config/default.toml: public, so only for debugging and tests.
DEVELOPMENT_SECRET_KEY = "dev-only-change-me"


class ConfigurationError(RuntimeError):
    """A configuration the application refuses to start with."""


def load_config(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    """Fill ``app.config`` from defaults, instance config, environment and ``overrides``.

    Outside debug and testing, an empty or the public development ``SECRET_KEY`` is
    refused: signed cookies and tokens would be forgeable by anyone who read this
    repository.
    """
    app.config.from_file(str(DEFAULT_CONFIG), load=tomllib.load, text=False)
    app.config.from_file("config.toml", load=tomllib.load, text=False, silent=True)
    for key, parse in _ENV_OVERRIDES.items():
        if key in os.environ:
            app.config[key] = parse(os.environ[key])
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        os.environ.get("DATABASE_URL") or default_database_url(app)
    )
    if overrides:
        app.config.update(overrides)
        if "SQLALCHEMY_DATABASE_URI" in overrides:
            app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
                overrides["SQLALCHEMY_DATABASE_URI"]
            )
    if (
        app.config.get("SECRET_KEY") in (DEVELOPMENT_SECRET_KEY, "", None)
        and not app.debug
        and not app.config.get("TESTING")
    ):
        raise ConfigurationError(
            "SECRET_KEY is empty or the public development key: set SECRET_KEY in the environment "
            "or in instance/config.toml (make run writes one), or run with FLASK_DEBUG=1."
        )
