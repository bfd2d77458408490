"""Published plan periods and swap requests of the duty plan.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "roster_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gap_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guild_associations.id"],
            name=op.f("fk_roster_publications_guild_id_guild_associations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_publications")),
    )
    with op.batch_alter_table("roster_publications") as batch:
        batch.create_index(batch.f("ix_roster_publications_guild_id"), ["guild_id"])
    op.create_table(
        "roster_swaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("from_business_id", sa.Integer(), nullable=False),
        sa.Column("to_business_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("auto_approved", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["roster_shifts.id"],
            name=op.f("fk_roster_swaps_shift_id_roster_shifts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_business_id"],
            ["businesses.id"],
            name=op.f("fk_roster_swaps_from_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_business_id"],
            ["businesses.id"],
            name=op.f("fk_roster_swaps_to_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_swaps")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_roster_swaps_token_sha256")),
    )
    with op.batch_alter_table("roster_swaps") as batch:
        batch.create_index(batch.f("ix_roster_swaps_shift_id"), ["shift_id"])


def downgrade():
    op.drop_table("roster_swaps")
    op.drop_table("roster_publications")
