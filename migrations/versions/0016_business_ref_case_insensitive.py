"""Refs unique without regard to case: ``pr-d1`` and ``PR-D1`` are one business of a guild.

A unique index on (guild_id, ref with its ASCII letters lowered). The expression is
frozen here, spelled as ``backend.businesses.refs.ref_key_of`` renders it for each
dialect; lookups by ref use the index only while both agree. The exact (guild_id, ref)
constraint stays (dropping it on SQLite means copying the table and its triggers).

A guild that already holds two refs differing only in case stops the upgrade before
anything changes, naming them: which of the two is the real one is for the guild's
staff to decide (rename one in the console, then migrate again).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

INDEX = "uq_businesses_guild_ref_key"
REF_KEY = {"sqlite": "lower(ref)", "postgresql": 'lower(ref COLLATE "C")'}


def upgrade():
    bind = op.get_bind()
    ref_key = REF_KEY[bind.dialect.name]
    clashes = bind.execute(
        sa.text(
            # guild_associations has no column "ref": the expression names the business's.
            f"SELECT g.slug, {ref_key} AS ref_key, COUNT(*) "
            "FROM businesses b JOIN guild_associations g ON g.id = b.guild_id "
            "GROUP BY g.slug, ref_key HAVING COUNT(*) > 1 ORDER BY g.slug, ref_key LIMIT 20"
        )
    ).all()
    if clashes:
        listed = "; ".join(f"guild {slug}: ref {key!r} ({count}×)" for slug, key, count in clashes)
        raise RuntimeError(
            "Refs that differ only in case must be renamed before refs become "
            f"case-insensitive: {listed}"
        )
    op.create_index(INDEX, "businesses", ["guild_id", sa.text(ref_key)], unique=True)


def downgrade():
    op.drop_index(INDEX, table_name="businesses")
