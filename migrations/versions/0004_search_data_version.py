"""Search data version: a counter moved on by triggers with every write the search reads.

Each process keeps an in-memory copy of the searched data and uses it only while
it was built at the current version. Triggers (not application code) move the
version on, in the same transaction as the write, so every writer counts: the app,
imports, ``seed-demo``, a SQL console. SQLite has only row triggers (one UPDATE of
a one-row table per written row); PostgreSQL runs one per statement.

The trigger SQL is frozen here; the list of tables matches
``backend.search.data_version.VERSIONED_TABLES`` at this revision.

Revision ID: 0004
Revises: 0003
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("businesses", "business_trades", "roster_shifts")
SQLITE_EVENTS = ("insert", "update", "delete")
BUMP = "UPDATE search_data_version SET version = version + 1"


def upgrade():
    op.create_table(
        "search_data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_search_data_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_data_version")),
    )
    # Start from the clock (microseconds), not from 1: a table dropped and created again
    # (downgrade, upgrade) must never repeat a version that a running process has seen.
    start = time.time_ns() // 1000
    op.execute(f"INSERT INTO search_data_version (id, version) VALUES (1, {start})")
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for verb in SQLITE_EVENTS:
                op.execute(
                    f"CREATE TRIGGER search_data_version_{table}_{verb} "
                    f"AFTER {verb.upper()} ON {table} BEGIN {BUMP}; END"
                )
        return
    op.execute(
        "CREATE FUNCTION bump_search_data_version() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER search_data_version_{table} "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_search_data_version()"
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for verb in SQLITE_EVENTS:
                op.execute(f"DROP TRIGGER search_data_version_{table}_{verb}")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER search_data_version_{table} ON {table}")
        op.execute("DROP FUNCTION bump_search_data_version()")
    op.drop_table("search_data_version")
