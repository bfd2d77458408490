"""Partner cities and staff accounts: data entered by an administrator, never code."""

import pytest

from backend.organisations.operations import (
    OrganisationError,
    create_city,
    create_guild,
    create_staff_user,
)
from backend.organisations.passwords import verify_password


def test_partner_city_is_plain_data(app_context):
    city = create_city(
        "wernigerode", "Wernigerode", 51.835, 10.785,
        allowed_origins=["https://www.wernigerode.de"], actor="admin@example.org",
    )  # fmt: skip
    assert city.id and city.allowed_origins == ["https://www.wernigerode.de"]
    with pytest.raises(OrganisationError, match="Invalid slug"):
        create_city("Wernigerode", "Wernigerode", 51.8, 10.8, actor="admin")


def test_staff_roles_are_scoped(app_context):
    guild = create_guild("harz-bode", "Harz-Bode", actor="cli")
    user, password = create_staff_user(
        "Staff@Example.org", "Innung", "guild_staff", guild=guild, actor="cli"
    )
    assert user.email == "staff@example.org" and user.guild is guild
    assert verify_password(user.password_hash, password) and len(password) >= 16
    assert user.password_hash.startswith("$argon2id$") and user.must_change_password
    with pytest.raises(OrganisationError, match="must belong to a guild"):
        create_staff_user("a@example.org", "A", "guild_staff", actor="cli")
    with pytest.raises(OrganisationError, match="must belong to a partner city"):
        create_staff_user("b@example.org", "B", "city_editor", actor="cli")
    with pytest.raises(OrganisationError, match="Unknown role"):
        create_staff_user("c@example.org", "C", "root", actor="cli")
