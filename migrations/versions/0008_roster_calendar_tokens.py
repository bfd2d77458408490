"""Secret links of the businesses' duty calendars (hashed tokens).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "roster_calendar_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_roster_calendar_tokens_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_calendar_tokens")),
        sa.UniqueConstraint("business_id", name=op.f("uq_roster_calendar_tokens_business_id")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_roster_calendar_tokens_token_sha256")),
    )


def downgrade():
    op.drop_table("roster_calendar_tokens")
