"""Anonymous counters of searches that found nobody available.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "roster_unanswered_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_unanswered_searches")),
        sa.UniqueConstraint(
            "week",
            "city",
            "subject",
            "channel",
            name=op.f("uq_roster_unanswered_searches_week_city_subject_channel"),
        ),
    )


def downgrade():
    op.drop_table("roster_unanswered_searches")
