"""``flask guild create``."""

from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.organisations.models import GuildAssociation


def test_create_guild(runner):
    result = runner.invoke(args=["guild", "create", "harz-bode", "Kreishandwerkerschaft Harz-Bode"])
    assert result.exit_code == 0, result.output
    guild = db.session.scalar(select(GuildAssociation))
    assert (guild.slug, guild.name) == ("harz-bode", "Kreishandwerkerschaft Harz-Bode")
    entry = db.session.scalar(select(AuditLogEntry))
    assert (entry.action, entry.entity_type, entry.actor) == ("create", "GuildAssociation", "cli")


def test_duplicate_and_invalid_slugs_are_refused_clearly(runner):
    runner.invoke(args=["guild", "create", "harz-bode", "Harz-Bode"])
    again = runner.invoke(args=["guild", "create", "harz-bode", "Other"])
    assert again.exit_code == 1 and "already exists" in again.output
    bad = runner.invoke(args=["guild", "create", "Harz Bode!", "X"])
    assert bad.exit_code == 1 and "Invalid slug" in bad.output
    empty = runner.invoke(args=["guild", "create", "leer", "  "])
    assert empty.exit_code == 1 and "must not be empty" in empty.output
    assert db.session.scalars(select(GuildAssociation.slug)).all() == ["harz-bode"]
