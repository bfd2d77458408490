"""A guild's choice to allow premium-rate/shared-cost and foreign numbers (default: not).

``guild_associations.allows_premium_numbers`` and ``allows_foreign_numbers``: the
business rules refuse 0900, 0137, 0180 and 0700 numbers, and numbers outside Germany,
unless the business's guild allows them (``flask guild numbers SLUG``).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = ("allows_premium_numbers", "allows_foreign_numbers")


def upgrade():
    for name in COLUMNS:
        op.add_column(
            "guild_associations",
            sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False),
        )


def downgrade():
    # SQLite 3.35+ drops a column in place.
    for name in COLUMNS:
        op.drop_column("guild_associations", name)
