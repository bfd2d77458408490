"""Messaging: callback requests, outbound messages, inbound SMS, duty notices; roster shifts
gain ``source`` (plan or sms) and ``confirmed_at``.

The two roster columns are added and dropped with plain ALTER TABLE (batch mode does not
copy the table to add a column on SQLite), so the search data version triggers on
``roster_shifts`` stay in place.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("roster_shifts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=8), server_default="plan", nullable=False)
        )
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=36), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("resident_phone", sa.String(length=20), nullable=True),
        sa.Column("emergency", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("call_sid", sa.String(length=64), nullable=True),
        sa.Column("call_status", sa.String(length=24), nullable=True),
        sa.Column("failure", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["business_id"], ["businesses.id"],
            name=op.f("fk_callback_requests_business_id_businesses"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_requests")),
        sa.UniqueConstraint("call_sid", name=op.f("uq_callback_requests_call_sid")),
        sa.UniqueConstraint("public_id", name=op.f("uq_callback_requests_public_id")),
    )  # fmt: skip
    op.create_index("ix_callback_requests_created_at", "callback_requests", ["created_at"])

    op.create_table(
        "outbound_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("to_phone", sa.String(length=20), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("business_id", sa.Integer(), nullable=True),
        sa.Column("callback_id", sa.Integer(), nullable=True),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"], ["businesses.id"],
            name=op.f("fk_outbound_messages_business_id_businesses"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["callback_id"], ["callback_requests.id"],
            name=op.f("fk_outbound_messages_callback_id_callback_requests"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_messages")),
    )  # fmt: skip
    op.create_index("ix_outbound_messages_created_at", "outbound_messages", ["created_at"])
    op.create_index(op.f("ix_outbound_messages_business_id"), "outbound_messages", ["business_id"])
    op.create_index(op.f("ix_outbound_messages_callback_id"), "outbound_messages", ["callback_id"])
    op.create_index(
        op.f("ix_outbound_messages_provider_sid"), "outbound_messages", ["provider_sid"]
    )

    op.create_table(
        "inbound_sms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_sid", sa.String(length=64), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=True),
        sa.Column("command", sa.String(length=16), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"], ["businesses.id"],
            name=op.f("fk_inbound_sms_business_id_businesses"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_sms")),
        sa.UniqueConstraint("message_sid", name=op.f("uq_inbound_sms_message_sid")),
    )  # fmt: skip

    op.create_table(
        "duty_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["roster_shifts.id"],
            name=op.f("fk_duty_notices_shift_id_roster_shifts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_notices")),
        sa.UniqueConstraint("shift_id", "kind", name=op.f("uq_duty_notices_shift_id_kind")),
    )  # fmt: skip


def downgrade():
    op.drop_table("duty_notices")
    op.drop_table("inbound_sms")
    op.drop_index(op.f("ix_outbound_messages_provider_sid"), table_name="outbound_messages")
    op.drop_index(op.f("ix_outbound_messages_callback_id"), table_name="outbound_messages")
    op.drop_index(op.f("ix_outbound_messages_business_id"), table_name="outbound_messages")
    op.drop_index("ix_outbound_messages_created_at", table_name="outbound_messages")
    op.drop_table("outbound_messages")
    op.drop_index("ix_callback_requests_created_at", table_name="callback_requests")
    op.drop_table("callback_requests")
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy would drop the triggers.
    op.drop_column("roster_shifts", "confirmed_at")
    op.drop_column("roster_shifts", "source")
