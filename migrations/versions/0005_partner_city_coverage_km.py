"""Partner cities get a coverage distance for the duty plan (default 25 km).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("partner_cities") as batch:
        batch.add_column(sa.Column("coverage_km", sa.Float(), nullable=False, server_default="25"))


def downgrade():
    with op.batch_alter_table("partner_cities") as batch:
        batch.drop_column("coverage_km")
