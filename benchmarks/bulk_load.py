"""Bulk loading of the benchmark rows, the way each database loads fastest."""

from __future__ import annotations

from sqlalchemy import Connection, insert

# Secondary indexes are dropped during the load and rebuilt once at the end.
LOADED_TABLES = ("businesses", "business_trades", "roster_shifts")


def insert_rows(connection: Connection, model: type, rows: list[dict]) -> None:
    """Insert ``rows`` in one statement per table: COPY on PostgreSQL.

    One statement matters there: the search triggers are statement-level, and an
    ``executemany`` would run them once per row.
    """
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(model), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {model.__tablename__} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def drop_secondary_indexes(connection: Connection) -> list[str]:
    """Drop the explicit indexes of the loaded tables; return the SQL that recreates them.

    Indexes that back a constraint (primary keys, unique constraints) stay.
    """
    if connection.dialect.name == "postgresql":
        statement = (
            "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema() "
            f"AND tablename IN {LOADED_TABLES!r} AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        )
    else:
        statement = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN {LOADED_TABLES!r}"
        )
    rows = connection.exec_driver_sql(statement).all()
    for name, _ in rows:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    connection.commit()
    return [sql for _, sql in rows]


def reset_sequences(connection: Connection) -> None:
    """Move PostgreSQL's id sequences past the loaded ids (rows were loaded with their ids)."""
    if connection.dialect.name != "postgresql":
        return
    for table in ("businesses", "roster_shifts"):  # business_trades has no id
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )
