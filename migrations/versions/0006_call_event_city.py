"""Call events name the partner city whose widget the call came from (channel "widget").

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("call_events") as batch:
        batch.add_column(sa.Column("city_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_call_events_city_id_partner_cities"),
            "partner_cities",
            ["city_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_call_events_city_id"), ["city_id"])


def downgrade():
    with op.batch_alter_table("call_events") as batch:
        batch.drop_index(op.f("ix_call_events_city_id"))
        batch.drop_constraint(op.f("fk_call_events_city_id_partner_cities"), type_="foreignkey")
        batch.drop_column("city_id")
