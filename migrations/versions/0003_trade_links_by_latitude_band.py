"""Search index on trade links by latitude band: (trade, band, lon, lat, business).

The old index (trade_id, lat, lon, business_id) can only seek a latitude range, so
every box scanned a full-width band of latitude across Germany and filtered lon. With
the band (1/20 degree of latitude) as the second column the search seeks one short
lon range per band. The band is an expression, so no writer has to fill a column.

The expression is frozen here, spelled as ``backend.businesses.models.lat_cell``
renders it for each dialect; the search only uses the index while both agree.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# ``lat + 90`` is never negative, so SQLite's CAST (truncation) is a floor; PostgreSQL's
# CAST rounds, so it needs floor() first.
LAT_CELL = {
    "sqlite": "CAST((lat + 90) * 20 AS INTEGER)",
    "postgresql": "CAST(floor((lat + 90) * 20) AS INTEGER)",
}


def upgrade():
    lat_cell = LAT_CELL[op.get_bind().dialect.name]
    with op.batch_alter_table("business_trades", schema=None) as batch_op:
        batch_op.drop_index("ix_business_trades_trade_geo")
    op.create_index(
        "ix_business_trades_trade_cell",
        "business_trades",
        ["trade_id", sa.text(lat_cell), "lon", "lat", "business_id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_business_trades_trade_cell", table_name="business_trades")
    with op.batch_alter_table("business_trades", schema=None) as batch_op:
        batch_op.create_index(
            "ix_business_trades_trade_geo", ["trade_id", "lat", "lon", "business_id"], unique=False
        )
