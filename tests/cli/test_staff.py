"""``flask staff create`` and ``flask staff deactivate``."""

from __future__ import annotations

import re

from backend.extensions import db
from backend.organisations.accounts import check_password
from backend.organisations.operations import create_city, create_guild


def test_staff_create_prints_a_one_time_password_that_signs_in_once(runner):
    create_guild("harz-bode", "Harz-Bode", actor="test")
    result = runner.invoke(args=["staff", "create", "Innung@Example.org", "--role",
                                 "guild_staff", "--guild", "harz-bode"])  # fmt: skip
    assert result.exit_code == 0, result.output
    password = re.search(r"One-time password \(shown once.*\): (\S+)", result.output)[1]
    user = check_password("innung@example.org", password)
    assert user is not None and user.guild.slug == "harz-bode"
    assert user.must_change_password and not user.totp_enabled
    assert user.password_hash.startswith("$argon2id$")


def test_staff_create_refuses_bad_combinations_with_a_message(runner):
    create_city("stadt-a", "Stadt A", 51.9, 11.0, actor="test")
    db.session.commit()
    cases = [
        (["--role", "guild_staff"], "must belong to a guild"),
        (["--role", "guild_staff", "--guild", "nowhere"], "Unknown guild association"),
        (["--role", "city_editor", "--city", "nowhere"], "Unknown partner city 'nowhere'"),
        (["--role", "root"], "Invalid value for '--role'"),
    ]
    for options, message in cases:
        result = runner.invoke(args=["staff", "create", "a@example.org", *options])
        assert result.exit_code != 0 and message in result.output, (options, result.output)
    ok = runner.invoke(args=["staff", "create", "a@example.org", "--role", "city_editor",
                             "--city", "stadt-a"])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(args=["staff", "create", "A@example.org", "--role", "admin"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_staff_deactivate(runner):
    runner.invoke(args=["staff", "create", "chef@example.org", "--role", "admin"])
    result = runner.invoke(args=["staff", "deactivate", "chef@example.org"])
    assert result.exit_code == 0 and "sessions have ended" in result.output
    assert runner.invoke(args=["staff", "deactivate", "x@example.org"]).exit_code == 1
