"""A guild's choice to list its hard-to-reach businesses after those that are reached.

``guild_associations.demote_unreachable`` (default false): the search orders its hits so
that businesses flagged by the reachability rule come last, for guilds that chose it.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "guild_associations",
        sa.Column("demote_unreachable", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade():
    # SQLite 3.35+ drops a column in place.
    op.drop_column("guild_associations", "demote_unreachable")
