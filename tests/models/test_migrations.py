"""The migrations create exactly the schema the models declare, with the reference data."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from backend.extensions import db
from backend.models import EmergencyCategory, Trade

TRADE_SLUGS = {
    "installateur-heizungsbauer", "klempner", "elektrotechniker", "dachdecker", "zimmerer",
    "glaser", "tischler", "metallbauer", "kfz-techniker", "schornsteinfeger",
    "kaelteanlagenbauer", "rollladen-sonnenschutztechniker",
}  # fmt: skip


def test_models_and_migrations_agree(app_context):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_reference_trades_have_published_slugs(app_context):
    assert set(db.session.scalars(select(Trade.slug))) == TRADE_SLUGS


def test_emergencies_map_to_trades_as_published(app_context):
    categories = {c.slug: c for c in db.session.scalars(select(EmergencyCategory))}
    assert {t.slug for t in categories["wasser"].trades} == {
        "installateur-heizungsbauer",
        "klempner",
    }
    assert {t.slug for t in categories["dach"].trades} == {"dachdecker", "zimmerer", "klempner"}
    assert {t.slug for t in categories["schluessel"].trades} == {"metallbauer", "tischler"}
    assert categories["gasgeruch"].trades == []
    assert categories["gasgeruch"].safety_level == "advice_only"
    assert categories["wasser"].safety_level == "safety_first"
    assert categories["strom"].safety_level == "safety_first"
    assert len(categories) == 11
