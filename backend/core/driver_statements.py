"""Run a compiled SQLAlchemy statement on the DB-API cursor, keeping its type conversions.

Used by the search for the two statements it repeats on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import TypeEngine


def fetch_rows(connection: Connection, statement: Select, params: dict) -> list[Sequence]:
    """The rows of ``statement``, run on the DB-API cursor of ``connection``.

    Why not ``connection.execute``: for the two statements a search repeats, SQLAlchemy's
    work per execution (a parameter list from every bind, execution context, events, a
    Row per row) costs more than the indexed reads themselves. On SQLite at 1M
    businesses, median per execution: a ring 68 µs against 24 µs on the cursor, a
    batch of business rows 152 µs against 85 µs. SQLAlchemy still builds and compiles
    the statement (once), and the bind and result processors of its types still convert
    the values, so the rows hold what ``connection.execute`` would give, and errors are
    handled as it would handle them. What is lost: the SQL log (echo) and engine events,
    which reads do not need.
    """
    return DriverStatement.of(statement, connection.dialect).fetch_all(connection, params)


@dataclass
class DriverStatement:
    """A statement compiled for one dialect, with the type conversions of its values."""

    dialect: Dialect
    sql: str
    order: list[str] | None  # parameter names in placeholder order, for positional styles
    bind_processors: dict[str, Callable]
    column_types: list[TypeEngine]
    # (column, processor) for the columns whose values need converting. Set by the first
    # execution: PostgreSQL's processors depend on the column types the driver reports.
    result_processors: list[tuple[int, Callable]] | None = None

    @staticmethod
    @lru_cache(maxsize=512)
    def of(statement: Select, dialect: Dialect) -> DriverStatement:
        """``statement`` compiled for ``dialect`` (cached: statements are built once per shape)."""
        compiled = statement.compile(dialect=dialect)
        processors = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }
        return DriverStatement(
            dialect=dialect,
            sql=compiled.string,
            order=compiled.positiontup,
            bind_processors={name: process for name, process in processors.items() if process},
            column_types=[column.type for column in statement.selected_columns],
        )

    def fetch_all(self, connection: Connection, params: dict) -> list[Sequence]:
        """Execute with ``params`` (by bind name) and return every row, values converted."""
        if self.bind_processors:
            params = params | {
                name: bind(params[name]) for name, bind in self.bind_processors.items()
            }
        dbapi_connection = connection.connection.dbapi_connection
        with closing(dbapi_connection.cursor()) as cursor:
            try:
                cursor.execute(
                    self.sql, params if self.order is None else [params[n] for n in self.order]
                )
                rows = cursor.fetchall()
            except self.dialect.loaded_dbapi.Error as error:
                # As Connection.execute does: a lost connection is never used again, and
                # the error is SQLAlchemy's (DBAPIError), whatever the driver.
                if self.dialect.is_disconnect(error, dbapi_connection, cursor):
                    connection.invalidate(error)
                raise DBAPIError.instance(
                    self.sql, params, error, self.dialect.loaded_dbapi.Error
                ) from error
            if self.result_processors is None:
                self.result_processors = self._result_processors(cursor.description)
        return self._converted(rows) if self.result_processors else rows

    def _result_processors(self, description: Sequence) -> list[tuple[int, Callable]]:
        found = []
        for i, (type_, (_, driver_type, *_)) in enumerate(
            zip(self.column_types, description, strict=True)
        ):
            process = type_.dialect_impl(self.dialect).result_processor(self.dialect, driver_type)
            if process is not None:
                found.append((i, process))
        return found

    def _converted(self, rows: list[Sequence]) -> list[Sequence]:
        converted = []
        for row in rows:
            row = list(row)
            for i, process in self.result_processors or ():
                if row[i] is not None:  # e.g. the shift columns of a business without shifts
                    row[i] = process(row[i])
            converted.append(row)
        return converted
