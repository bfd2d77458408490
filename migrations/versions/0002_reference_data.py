"""Reference data: trades and emergency categories with their published slugs.

The data is frozen here on purpose: slugs are pasted into city portals and must
never change, so later edits happen in new migrations, not by editing this one.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TRADES = [
    (
        "installateur-heizungsbauer",
        "Installateur und Heizungsbauer",
        "Plumber and heating engineer",
    ),
    ("klempner", "Klempner", "Tinsmith and roof plumber"),
    ("elektrotechniker", "Elektrotechniker", "Electrician"),
    ("dachdecker", "Dachdecker", "Roofer"),
    ("zimmerer", "Zimmerer", "Carpenter (structural)"),
    ("glaser", "Glaser", "Glazier"),
    ("tischler", "Tischler", "Joiner"),
    ("metallbauer", "Metallbauer (inkl. Schlüsseldienst)", "Metalworker (incl. locksmith)"),
    ("kfz-techniker", "Kraftfahrzeugtechniker", "Motor vehicle technician"),
    ("schornsteinfeger", "Schornsteinfeger", "Chimney sweep"),
    ("kaelteanlagenbauer", "Kälteanlagenbauer", "Refrigeration technician"),
    (
        "rollladen-sonnenschutztechniker",
        "Rollladen- und Sonnenschutztechniker",
        "Roller shutter and sun protection technician",
    ),
]

WATER_DE = (
    "Drehen Sie den Hauptwasserhahn zu, wenn das gefahrlos möglich ist. Kommt Wasser in "
    "die Nähe von Steckdosen, Leitungen oder dem Sicherungskasten: nicht hineintreten, "
    "den Raum verlassen und 112 anrufen."
)
WATER_EN = (
    "Close the main water valve if it is safe to do so. If water reaches sockets, cables "
    "or the fuse box: do not step into it, leave the room and call 112."
)
POWER_DE = (
    "Schalten Sie die Sicherung oder den Hauptschalter nur aus, wenn das gefahrlos möglich "
    "ist. Bei Funken, Brandgeruch, Rauch oder Verletzten: sofort 112 anrufen."
)
POWER_EN = (
    "Switch off the fuse or main switch only if that is safe. If there are sparks, a smell "
    "of burning, smoke or anyone is injured: call 112 at once."
)
GAS_DE = (
    "Verlassen Sie sofort das Gebäude. Keine Lichtschalter, Klingeln oder Handys im Haus "
    "benutzen, kein offenes Feuer. Fenster und Türen auf dem Weg nach draußen öffnen. "
    "Rufen Sie von draußen den Notdienst Ihres Gasversorgers oder 112 an."
)
GAS_EN = (
    "Leave the building immediately. Do not use light switches, doorbells or phones inside, "
    "no open flame. Open windows and doors on your way out. From outside, call your gas "
    "utility's emergency line or 112."
)

# slug, label_de, label_en, icon, safety level, advice de/en, call first, trades
EMERGENCIES = [
    ("wasser", "Wasserrohrbruch / Wasserschaden", "Burst pipe / water damage", "water",
     "safety_first", WATER_DE, WATER_EN, "112", ["installateur-heizungsbauer", "klempner"]),
    ("abfluss", "Rohrverstopfung", "Blocked drain", "drain",
     "none", None, None, None, ["installateur-heizungsbauer"]),
    ("heizung", "Heizungsausfall", "Heating failure", "heating",
     "none", None, None, None, ["installateur-heizungsbauer"]),
    ("strom", "Stromausfall / Elektrodefekt", "Power failure / electrical fault", "power",
     "safety_first", POWER_DE, POWER_EN, "112", ["elektrotechniker"]),
    ("schluessel", "Ausgesperrt / Schloss defekt", "Locked out / broken lock", "key",
     "none", None, None, None, ["metallbauer", "tischler"]),
    ("dach", "Sturmschaden am Dach", "Storm damage to the roof", "roof",
     "none", None, None, None, ["dachdecker", "zimmerer", "klempner"]),
    ("glas", "Glasbruch", "Broken glass", "glass",
     "none", None, None, None, ["glaser", "tischler"]),
    ("auto", "Autopanne", "Car breakdown", "car",
     "none", None, None, None, ["kfz-techniker"]),
    ("kamin", "Kamin / Schornstein", "Fireplace / chimney", "chimney",
     "none", None, None, None, ["schornsteinfeger"]),
    ("kuehlung", "Kühlung / Klima ausgefallen", "Cooling / air conditioning failed", "cooling",
     "none", None, None, None, ["kaelteanlagenbauer"]),
    ("gasgeruch", "Gasgeruch", "Smell of gas", "gas",
     "advice_only", GAS_DE, GAS_EN, "112", []),
]  # fmt: skip


def upgrade():
    trades = sa.table(
        "trades",
        sa.column("id", sa.Integer),
        sa.column("slug", sa.String),
        sa.column("name_de", sa.String),
        sa.column("name_en", sa.String),
        sa.column("sort_order", sa.Integer),
    )
    categories = sa.table(
        "emergency_categories",
        sa.column("id", sa.Integer),
        sa.column("slug", sa.String),
        sa.column("label_de", sa.String),
        sa.column("label_en", sa.String),
        sa.column("icon", sa.String),
        sa.column("safety_level", sa.String),
        sa.column("advice_de", sa.Text),
        sa.column("advice_en", sa.Text),
        sa.column("first_call", sa.String),
        sa.column("sort_order", sa.Integer),
    )
    links = sa.table(
        "emergency_trades", sa.column("emergency_id", sa.Integer), sa.column("trade_id", sa.Integer)
    )
    trade_ids = {slug: i for i, (slug, _, _) in enumerate(TRADES, start=1)}
    op.bulk_insert(
        trades,
        [
            {"id": trade_ids[slug], "slug": slug, "name_de": de, "name_en": en, "sort_order": i}
            for i, (slug, de, en) in enumerate(TRADES)
        ],
    )
    op.bulk_insert(
        categories,
        [
            {
                "id": i,
                "slug": slug,
                "label_de": label_de,
                "label_en": label_en,
                "icon": icon,
                "safety_level": level,
                "advice_de": advice_de,
                "advice_en": advice_en,
                "first_call": first_call,
                "sort_order": i,
            }
            for i, (
                slug,
                label_de,
                label_en,
                icon,
                level,
                advice_de,
                advice_en,
                first_call,
                _,
            ) in enumerate(EMERGENCIES, start=1)
        ],
    )
    op.bulk_insert(
        links,
        [
            {"emergency_id": i, "trade_id": trade_ids[trade]}
            for i, emergency in enumerate(EMERGENCIES, start=1)
            for trade in emergency[-1]
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids above do not advance PostgreSQL sequences.
        op.execute("SELECT setval('trades_id_seq', (SELECT max(id) FROM trades))")
        op.execute(
            "SELECT setval('emergency_categories_id_seq', "
            "(SELECT max(id) FROM emergency_categories))"
        )


def downgrade():
    op.execute("DELETE FROM emergency_trades")
    op.execute("DELETE FROM emergency_categories")
    op.execute("DELETE FROM trades")
