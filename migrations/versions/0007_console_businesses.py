"""Console for businesses: verification policy, withheld businesses, field-by-field audit.

- ``businesses.withheld``: out of the public listing until checked (the search reads
  ``active AND NOT withheld``); an index for the console's list in name order.
- ``verification_policies``: per guild, whether overdue businesses are withheld, and after
  how many days of grace.
- ``audit_log.actor_id``, indexes per entity and per person, and
  ``audit_field_changes`` (old and new value of each changed field).

Columns and indexes are added without recreating ``businesses`` on SQLite (ADD COLUMN),
so the search data version's triggers of migration 0004 stay in place.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "businesses",
        sa.Column("withheld", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_index("ix_businesses_guild_name", "businesses", ["guild_id", "name", "id"])
    op.create_table(
        "verification_policies",
        sa.Column("guild_id", sa.Integer(), nullable=False),
        sa.Column("withhold_overdue", sa.Boolean(), nullable=False),
        sa.Column("grace_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guild_associations.id"],
            name=op.f("fk_verification_policies_guild_id_guild_associations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_verification_policies")),
    )
    # A foreign key on SQLite needs the table copied: audit_log has no triggers to lose.
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_log_actor_id_staff_users"),
            "staff_users",
            ["actor_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_audit_log_entity", ["entity_type", "entity_id", "at"])
        batch_op.create_index("ix_audit_log_actor_id", ["actor_id", "at"])
    op.create_table(
        "audit_field_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["audit_log.id"],
            name=op.f("fk_audit_field_changes_entry_id_audit_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_field_changes")),
    )
    op.create_index(op.f("ix_audit_field_changes_entry_id"), "audit_field_changes", ["entry_id"])


def downgrade():
    op.drop_index(op.f("ix_audit_field_changes_entry_id"), table_name="audit_field_changes")
    op.drop_table("audit_field_changes")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_actor_id")
        batch_op.drop_index("ix_audit_log_entity")
        batch_op.drop_constraint(
            batch_op.f("fk_audit_log_actor_id_staff_users"), type_="foreignkey"
        )
        batch_op.drop_column("actor_id")
    op.drop_table("verification_policies")
    op.drop_index("ix_businesses_guild_name", table_name="businesses")
    # SQLite 3.35+ drops a column in place (no table copy, the triggers stay).
    op.drop_column("businesses", "withheld")
