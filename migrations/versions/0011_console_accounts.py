"""Console accounts: staff sign-in (argon2, TOTP, recovery codes), server-side sessions,
shared-service grants between guild associations and the grant of an audit entry.

Existing staff accounts must set a new password at their next sign-in (their werkzeug
hashes are still accepted once, see backend.organisations.passwords).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("totp_enabled", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("recovery_code_hashes", sa.JSON(), server_default="[]", nullable=False)
        )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grant_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_log_grant_id"), ["grant_id"], unique=False)

    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_staff_sessions_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_sessions_token_hash")),
    )
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "service_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grantor_guild_id", sa.Integer(), nullable=False),
        sa.Column("grantee_guild_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=254), nullable=True),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["grantor_guild_id"],
            ["guild_associations.id"],
            name=op.f("fk_service_grants_grantor_guild_id_guild_associations"),
        ),
        sa.ForeignKeyConstraint(
            ["grantee_guild_id"],
            ["guild_associations.id"],
            name=op.f("fk_service_grants_grantee_guild_id_guild_associations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_grants")),
    )
    with op.batch_alter_table("service_grants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_grants_grantor_guild_id"), ["grantor_guild_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_grants_grantee_guild_id"), ["grantee_guild_id"], unique=False
        )


def downgrade():
    op.drop_table("service_grants")
    op.drop_table("staff_sessions")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_grant_id"))
        batch_op.drop_column("grant_id")
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        for column in (
            "recovery_code_hashes", "totp_last_step", "totp_enabled", "totp_secret",
            "password_changed_at", "must_change_password",
        ):  # fmt: skip
            batch_op.drop_column(column)
