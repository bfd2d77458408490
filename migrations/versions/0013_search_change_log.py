"""Search change log: which businesses each data version changed.

The triggers of 0004 only moved the search data version on, so a process that saw a
new version could only rebuild its whole in-memory index. Now the same triggers also
write, in the same transaction, one row per changed business into ``search_changes``
(for trade links also the trade and latitude of the old and the new row, so the index
knows which of its bands held the business). A process then brings its index up to
date by re-reading just those businesses. A TRUNCATE logs a row without a business:
everything changed.

``search_data_version.changes_from`` says from which version on the log is complete:
pruning old rows moves it up, and an index older than that is rebuilt.

The trigger SQL is frozen here; the tables match
``backend.search.data_version.VERSIONED_TABLES`` at this revision.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BUMP = "UPDATE search_data_version SET version = version + 1"
CURRENT = "(SELECT version FROM search_data_version WHERE id = 1)"
# Per table: the business id column and whether rows carry a trade and a latitude.
TABLES = {
    "businesses": ("id", False),
    "business_trades": ("business_id", True),
    "roster_shifts": ("business_id", False),
}
EVENTS = ("insert", "update", "delete")


def upgrade():
    op.create_table(
        "search_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=True),
        sa.Column("trade_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("at", sa.DateTime(), server_default=sa.func.current_timestamp()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_changes")),
    )
    op.create_index("ix_search_changes_version", "search_changes", ["version"])
    # Names in code-point order (SQLite's BINARY default; "C" on PostgreSQL), indexed for
    # the neighbours of a patched business.
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE businesses ALTER COLUMN name TYPE VARCHAR(200) COLLATE "C"')
    op.create_index("ix_businesses_name_order", "businesses", ["name", "id"])
    with op.batch_alter_table("search_data_version") as batch:
        batch.add_column(sa.Column("changes_from", sa.BigInteger(), nullable=True))
    op.execute("UPDATE search_data_version SET changes_from = version")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _sqlite_triggers():
    for table, (id_column, with_link) in TABLES.items():
        for verb in EVENTS:
            op.execute(f"DROP TRIGGER search_data_version_{table}_{verb}")
            rows = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}[verb]
            logs = " ".join(
                "INSERT INTO search_changes (version, business_id, trade_id, lat) VALUES "
                f"({CURRENT}, {row}.{id_column}, "
                + (f"{row}.trade_id, {row}.lat);" if with_link else "NULL, NULL);")
                for row in rows
            )
            op.execute(
                f"CREATE TRIGGER search_data_version_{table}_{verb} "
                f"AFTER {verb.upper()} ON {table} BEGIN {BUMP}; {logs} END"
            )


def _postgresql_triggers():
    for table, (id_column, with_link) in TABLES.items():
        op.execute(f"DROP TRIGGER search_data_version_{table} ON {table}")
        columns = f"{id_column}, trade_id, lat" if with_link else f"{id_column}, NULL, NULL"
        op.execute(
            f"CREATE FUNCTION log_search_changes_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "DECLARE v bigint;\n"
            f"BEGIN\n  {BUMP} WHERE id = 1 RETURNING version INTO v;\n"
            "  IF TG_OP IN ('UPDATE', 'DELETE') THEN\n"
            "    INSERT INTO search_changes (version, business_id, trade_id, lat)\n"
            f"    SELECT v, {columns} FROM old_rows;\n  END IF;\n"
            "  IF TG_OP IN ('UPDATE', 'INSERT') THEN\n"
            "    INSERT INTO search_changes (version, business_id, trade_id, lat)\n"
            f"    SELECT v, {columns} FROM new_rows;\n  END IF;\n"
            "  RETURN NULL;\nEND $$"
        )
        for verb in EVENTS:
            tables = {
                "insert": "NEW TABLE AS new_rows",
                "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "delete": "OLD TABLE AS old_rows",
            }[verb]
            op.execute(
                f"CREATE TRIGGER search_changes_{table}_{verb} AFTER {verb.upper()} ON {table} "
                f"REFERENCING {tables} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION log_search_changes_{table}()"
            )
    op.execute(
        "CREATE FUNCTION log_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "DECLARE v bigint;\n"
        f"BEGIN\n  {BUMP} WHERE id = 1 RETURNING version INTO v;\n"
        "  INSERT INTO search_changes (version, business_id) VALUES (v, NULL);\n"
        "  RETURN NULL;\nEND $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER search_changes_{table}_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION log_search_truncate()"
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for verb in EVENTS:
                op.execute(f"DROP TRIGGER search_data_version_{table}_{verb}")
                op.execute(
                    f"CREATE TRIGGER search_data_version_{table}_{verb} "
                    f"AFTER {verb.upper()} ON {table} BEGIN {BUMP}; END"
                )
    else:
        for table in TABLES:
            for verb in (*EVENTS, "truncate"):
                op.execute(f"DROP TRIGGER search_changes_{table}_{verb} ON {table}")
            op.execute(f"DROP FUNCTION log_search_changes_{table}()")
            op.execute(
                f"CREATE TRIGGER search_data_version_{table} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_search_data_version()"
            )
        op.execute("DROP FUNCTION log_search_truncate()")
    # Not a batch copy: SQLite's triggers name the table, and a copy renamed into its
    # place breaks them. SQLite drops a column itself since 3.35.
    op.execute("ALTER TABLE search_data_version DROP COLUMN changes_from")
    op.drop_index("ix_businesses_name_order", table_name="businesses")
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE businesses ALTER COLUMN name TYPE VARCHAR(200) COLLATE "default"')
    op.drop_index("ix_search_changes_version", table_name="search_changes")
    op.drop_table("search_changes")
