"""Refs without regard to case: ``pr-d1`` and ``PR-D1`` are one business, wherever staff type it.

Before migration 0016 every lookup compared refs exactly: an import of ``pr-d1`` made a
second business beside ``PR-D1``, and the console, the roster import and the CLI did
not find ``PR-D1`` when asked for ``pr-d1``.
"""

from __future__ import annotations

import io

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from backend.audit.operations import Actor
from backend.businesses.lookup import business_ids_by_ref, find_business_by_ref
from backend.businesses.models import Business
from backend.businesses.operations import BusinessInvalid, EditRules, create_business
from backend.businesses.refs import ref_key
from backend.extensions import db
from backend.imports.businesses import import_businesses_csv
from backend.imports.rosters import import_roster_csv
from backend.roster.models import RosterShift
from tests import factories
from tests.imports.import_helpers import GUILD, business, csv_bytes, make_guild

ANNA = Actor("anna@harz-bode.example", staff_id=None, grant_id=None)
RULES = EditRules(max_radius_km=150.0)


@pytest.fixture
def guild(app_context):
    make_guild()
    report = import_businesses_csv(
        io.BytesIO(csv_bytes([business("PR-D1")])), GUILD, actor="test", max_radius_km=150
    )
    db.session.commit()
    assert report.created == 1
    return factories.guild(GUILD)


def count_businesses() -> int:
    return db.session.scalar(select(func.count()).select_from(Business))


def test_only_ascii_letters_fold():
    assert ref_key("PR-D1") == ref_key("pr-d1") == "pr-d1"
    assert ref_key("ÄB-1") == "Äb-1"
    assert ref_key("Ä-1") != ref_key("ä-1")


def test_the_database_refuses_a_second_spelling_whoever_writes(guild):
    with pytest.raises(IntegrityError):
        db.session.execute(
            insert(Business).values(
                guild_id=guild.id, ref="pr-d1", name="Zweitbetrieb", phone="+4939411234567",
                lat=51.9, lon=11.0, land="ST", service_radius_km=10.0,
            )
        )  # fmt: skip
    db.session.rollback()
    assert count_businesses() == 1


def test_refs_of_other_guilds_and_other_letters_stay_apart(guild):
    make_guild("anhalt")
    report = import_businesses_csv(
        io.BytesIO(csv_bytes([business("pr-d1")])), "anhalt", actor="test", max_radius_km=150
    )
    assert report.created == 1
    factories.business(ref="Ä-1")
    factories.business(ref="ä-1")  # outside ASCII, case counts: both databases agree
    assert count_businesses() == 4
    other = factories.guild("anhalt")
    assert find_business_by_ref(other.id, "PR-D1").id != find_business_by_ref(guild.id, "pr-d1").id
    assert find_business_by_ref(guild.id, "Ä-1").ref == "Ä-1"


def test_lookup_finds_any_spelling_and_uses_the_index(guild):
    stored = find_business_by_ref(guild.id, "pr-d1")
    assert stored is not None and stored.ref == "PR-D1"
    assert find_business_by_ref(guild.id, "Pr-D1") is stored
    query = business_ids_by_ref(guild.id, "pr-d1")
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "sqlite":
        plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        assert any("uq_businesses_guild_ref_key" in row[-1] for row in plan), plan
    else:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = db.session.scalars(text(f"EXPLAIN {compiled}")).all()
        assert any("uq_businesses_guild_ref_key" in line for line in plan), plan
        db.session.rollback()


def test_the_console_refuses_a_new_business_under_another_spelling(guild):
    with pytest.raises(BusinessInvalid) as caught:
        create_business(guild, business("pr-d1"), actor=ANNA, rules=RULES)
    [error] = caught.value.errors
    assert error.column == "ref" and "bereits die ref" in error.message_de
    db.session.rollback()
    assert count_businesses() == 1


def test_a_reimport_in_another_spelling_updates_the_business(guild):
    report = import_businesses_csv(
        io.BytesIO(csv_bytes([business("pr-d1", name="Sanitär Müller & Söhne")])),
        GUILD, actor="test", max_radius_km=150,
    )  # fmt: skip
    db.session.commit()
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    [stored] = db.session.scalars(select(Business)).all()
    assert (stored.ref, stored.name) == ("pr-d1", "Sanitär Müller & Söhne")


def test_two_spellings_in_one_file_are_one_ref_twice(guild):
    report = import_businesses_csv(
        io.BytesIO(csv_bytes([business("NEU-7"), business("neu-7")])),
        GUILD, actor="test", max_radius_km=150,
    )  # fmt: skip
    assert not report.written
    assert {(error.line, error.column) for error in report.errors} == {(2, "ref"), (3, "ref")}
    assert "doppelte ref „NEU-7“" in report.errors[0].message_de
    assert "case does not count" in report.errors[0].message


def test_the_roster_import_finds_the_business_in_any_spelling(guild):
    rows = [["pr-d1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]]
    data = csv_bytes(rows, header=["ref", "trade", "start", "end"])
    report = import_roster_csv(io.BytesIO(data), GUILD, actor="test")
    db.session.commit()
    assert report.errors == [] and report.created == 1
    assert (
        db.session.scalar(select(RosterShift.business_id))
        == find_business_by_ref(guild.id, "PR-D1").id
    )


def test_the_cli_finds_the_business_in_any_spelling(app, guild):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["roster", "calendar-link", "--guild", GUILD, "--ref", "pr-d1"])
    assert result.exit_code == 0, result.output
    assert "/calendar/betrieb/" in result.output
    added = runner.invoke(
        args=["roster", "plan", "add", "--guild", GUILD, "--ref", "Pr-d1", "--trade", "klempner",
              "--start", "2026-12-26T18:00", "--end", "2026-12-27T08:00"]
    )  # fmt: skip
    assert added.exit_code == 0, added.output


def test_the_migration_stops_on_refs_that_differ_only_in_case(app, app_context, caplog):
    """An upgrade names the clashing refs and changes nothing; after a rename it passes."""
    make_guild()
    db.session.commit()
    db.session.remove()
    downgrade(revision="0015")
    guild_id = factories.guild(GUILD).id
    first_id = factories.business(ref="ALT-1").id
    factories.business(ref="alt-1")
    db.session.remove()
    with pytest.raises(SystemExit):  # flask db upgrade: exit status 1 and the message
        upgrade()
    assert "guild harz-bode: ref 'alt-1' (2×)" in caplog.text
    db.session.remove()
    version = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == "0015"
    db.session.execute(text("UPDATE businesses SET ref = 'ALT-2' WHERE id = :id"), {"id": first_id})
    db.session.commit()
    db.session.remove()
    upgrade()
    assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == "0016"
    assert find_business_by_ref(guild_id, "alt-2").id == first_id
