"""The weekly digest of businesses due for verification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.businesses.digest import all_digests, build_digest
from backend.extensions import db
from backend.organisations.models import StaffUser
from tests import factories

NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
URL = "https://console.example/console/verification/"


def staff(email: str, guild, *, active: bool = True) -> None:
    db.session.add(StaffUser(email=email, display_name=email, password_hash="x",
                             role="guild_staff", guild=guild, active=active))  # fmt: skip
    db.session.commit()


def test_digest_lists_what_is_due_to_the_guilds_active_staff(app_context):
    due = factories.business(name="Alt Sanitär", verified_at=NOW - timedelta(days=400))
    factories.business(name="Frisch Glas", verified_at=NOW - timedelta(days=10))
    staff("anna@example.org", due.guild)
    staff("gone@example.org", due.guild, active=False)
    digest = build_digest(due.guild, NOW, 12, URL)
    assert digest.recipients == ["anna@example.org"]
    assert digest.subject == "1 Betriebe zur Prüfung fällig – Kreishandwerkerschaft Harz-Bode"
    assert "- Alt Sanitär (" in digest.body and "geprüft: " in digest.body
    assert "Frisch Glas" not in digest.body
    assert URL in digest.body


def test_no_digest_when_nothing_is_due_or_nobody_reads_it(app_context):
    fresh = factories.business(verified_at=NOW - timedelta(days=10))
    staff("anna@example.org", fresh.guild)
    assert build_digest(fresh.guild, NOW, 12, URL) is None
    other = factories.guild("anhalt", "Kreishandwerkerschaft Anhalt")
    factories.business(verified_at=None).guild = other
    db.session.commit()
    assert build_digest(other, NOW, 12, URL) is None  # no staff
    assert all_digests(NOW, 12, URL) == []


def test_digest_command_sends_through_smtp(runner, smtp_server):
    due = factories.business(name="Alt Sanitär", verified_at=NOW - timedelta(days=900))
    staff("anna@example.org", due.guild)
    staff("bernd@example.org", due.guild)
    result = runner.invoke(args=["businesses", "verification", "digest"])
    assert result.exit_code == 0, result.output
    messages = smtp_server.inbox.wait_for(2)
    assert sorted(message["To"] for message in messages) == [
        "anna@example.org",
        "bernd@example.org",
    ]
    assert messages[0]["Subject"] == (
        "1 Betriebe zur Prüfung fällig – Kreishandwerkerschaft Harz-Bode"
    )
    assert "Alt Sanitär" in messages[0].get_content()
