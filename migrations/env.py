"""Alembic environment for Flask-Migrate: the app's engine and metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_db = current_app.extensions["migrate"].db


def run_migrations_offline() -> None:
    """Emit SQL to stdout without a database connection."""
    url = target_db.engine.url.render_as_string(hide_password=False)
    context.configure(
        url=url,
        target_metadata=target_db.metadata,
        literal_binds=True,
        **current_app.extensions["migrate"].configure_args,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on the app's engine."""

    def skip_empty_autogenerate(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logging.getLogger("alembic.env").info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    with target_db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy a table and drop the old one; with enforcement on,
            # dropping businesses would cascade-delete every trade link and shift.
            _set_sqlite_foreign_keys(connection, enabled=False)
        try:
            context.configure(
                connection=connection, target_metadata=target_db.metadata, **conf_args
            )
            before = context.get_context().get_current_revision()
            with context.begin_transaction():
                context.run_migrations()
            if sqlite and context.get_context().get_current_revision() != before:
                _check_sqlite_foreign_keys(connection)
        finally:
            if sqlite:
                _set_sqlite_foreign_keys(connection, enabled=True)


def _set_sqlite_foreign_keys(connection, *, enabled: bool) -> None:
    """Switch enforcement; SQLite ignores the pragma inside a transaction, so end it first."""
    connection.commit()
    connection.exec_driver_sql(f"PRAGMA foreign_keys = {'ON' if enabled else 'OFF'}")
    connection.commit()


def _check_sqlite_foreign_keys(connection) -> None:
    """Fail the command when the migrations (now committed) left rows pointing at nothing.

    Only after a migration ran: the check reads every child table (0.6 s at a million
    businesses), and ``make run`` upgrades at every start.
    """
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"Migration left rows with dangling foreign keys: {broken[:10]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
