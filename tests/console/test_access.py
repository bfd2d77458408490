"""The authorization helpers other console pages use: roles, own data, grants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from backend.audit.models import AuditLogEntry
from backend.audit.operations import record_change
from backend.console.access import (
    acting_grant,
    may_edit_city,
    may_edit_guild,
    may_manage_guild,
    may_read_city,
    may_read_guild,
    requires,
    writable_guild_ids,
)
from backend.core.types import utcnow
from backend.extensions import db
from backend.organisations.grants import GrantError, create_grant, revoke_grant
from tests.console.staff_helpers import make_world


def test_roles_own_and_foreign_data(app_context):
    w = make_world()
    admin, own, foreign = (w.accounts[k].user for k in ("admin", "guild_own", "guild_foreign"))
    editor, other_editor = w.accounts["city_own"].user, w.accounts["city_foreign"].user
    assert may_edit_guild(admin, w.guild) and may_edit_guild(admin, w.foreign_guild)
    assert writable_guild_ids(admin) is None
    assert may_edit_guild(own, w.guild) and not may_edit_guild(own, w.foreign_guild)
    assert may_edit_guild(foreign, w.foreign_guild.id) and not may_edit_guild(foreign, w.guild)
    assert not may_edit_guild(editor, w.guild) and may_read_guild(editor, w.guild)
    assert not may_read_guild(foreign, w.guild)
    assert may_edit_city(editor, w.city) and not may_edit_city(other_editor, w.city)
    assert may_edit_city(admin, w.city) and not may_edit_city(own, w.city)
    assert may_read_city(other_editor, w.city) and may_read_city(own, w.city)
    assert may_manage_guild(own, w.guild) and not may_manage_guild(foreign, w.guild)


def test_an_active_grant_opens_the_grantors_data_and_the_audit_log_names_it(app_context):
    w = make_world()
    foreign = w.accounts["guild_foreign"].user
    now = utcnow()
    grant = create_grant(w.guild, w.foreign_guild, now - timedelta(minutes=1),
                         now + timedelta(days=7), actor="admin@example.org")  # fmt: skip
    db.session.commit()
    assert may_edit_guild(foreign, w.guild) and may_read_guild(foreign, w.guild)
    assert acting_grant(foreign, w.guild) == grant
    assert acting_grant(foreign, w.foreign_guild) is None  # own data: no grant
    assert not may_manage_guild(foreign, w.guild)  # work on the data, not run the guild
    # The other direction is not granted.
    assert not may_edit_guild(w.accounts["guild_own"].user, w.foreign_guild)

    entry = record_change(foreign.email, "update", "Business", {"name": ["a", "b"]},
                          grant_id=acting_grant(foreign, w.guild).id)  # fmt: skip
    old_style = record_change("cli", "update", "Business", {})  # still callable as before
    db.session.commit()
    assert db.session.get(AuditLogEntry, entry.id).grant_id == grant.id
    assert old_style.grant_id is None

    revoke_grant(grant, actor="staff@innung-a")
    db.session.commit()
    assert not may_edit_guild(foreign, w.guild) and acting_grant(foreign, w.guild) is None


def test_grants_that_have_not_started_or_have_ended_open_nothing(app_context):
    w = make_world()
    foreign = w.accounts["guild_foreign"].user
    now = utcnow()
    create_grant(w.guild, w.foreign_guild, now + timedelta(hours=1), now + timedelta(days=1),
                 actor="admin")  # fmt: skip
    db.session.commit()
    assert not may_edit_guild(foreign, w.guild)
    with pytest.raises(GrantError, match="end must lie after"):
        create_grant(w.guild, w.foreign_guild, now, now - timedelta(hours=1), actor="admin")
    with pytest.raises(GrantError, match="in the past"):
        create_grant(w.guild, w.foreign_guild, now - timedelta(days=2), now - timedelta(days=1),
                     actor="admin")  # fmt: skip
    with pytest.raises(GrantError, match="itself"):
        create_grant(w.guild, w.guild, now, now + timedelta(days=1), actor="admin")


def test_requires_rejects_unknown_roles_and_marks_the_view():
    with pytest.raises(ValueError, match="unknown roles"):
        requires("root")

    @requires("admin")
    def view():
        return "ok"

    assert view.console_roles == ("admin",)


def test_a_page_of_another_package_built_on_the_console_blueprint(app: Flask):
    """What a colleague's package does: its own blueprint, roles, the console's errors."""
    from backend.console.blueprint import console_blueprint

    test_app = Flask("probe")
    bp = console_blueprint("probe", __name__, "/probe")

    @bp.get("/")
    @requires("admin")
    def index():
        return "ok"

    test_app.register_blueprint(bp)
    assert [r.rule for r in test_app.url_map.iter_rules() if r.endpoint == "probe.index"] == [
        "/console/probe/"
    ]
