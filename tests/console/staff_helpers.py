"""Console test helpers: staff accounts through the real operations, signing in via forms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import pyotp
from flask.testing import FlaskClient

from backend.extensions import db
from backend.organisations import mfa
from backend.organisations.accounts import set_password
from backend.organisations.models import GuildAssociation, PartnerCity, StaffUser
from backend.organisations.operations import create_city, create_guild, create_staff_user

PASSWORD = "ein langes Test-Passwort 42"
_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass
class Account:
    """A staff account with everything a test needs to sign in as it."""

    user: StaffUser
    password: str = PASSWORD
    secret: str | None = None
    used_steps: list[int] = field(default_factory=list)

    @property
    def email(self) -> str:
        return self.user.email

    def code(self) -> str:
        """A TOTP code the server has not seen yet (the next time step if needed)."""
        totp = pyotp.TOTP(self.secret)
        step = int(totp.timecode(datetime.now()))
        while step in self.used_steps or (self.used_steps and step < max(self.used_steps)):
            step += 1
        self.used_steps.append(step)
        return totp.generate_otp(step)


def make_account(
    role: str,
    *,
    guild: GuildAssociation | None = None,
    city: PartnerCity | None = None,
    email: str | None = None,
    totp: bool = True,
    ready: bool = True,
) -> Account:
    """A committed account; ``ready``: own password set; ``totp``: second factor enabled."""
    org = guild.slug if guild else city.slug if city else "x"
    email = email or f"{role}.{org}@example.org"
    user, one_time = create_staff_user(email, f"{role} {org}", role, guild=guild, city=city,
                                       actor="test")  # fmt: skip
    account = Account(user, password=one_time)
    if ready:
        set_password(user, PASSWORD, actor="test")
        account.password = PASSWORD
    if totp:
        account.secret = mfa.new_totp_secret()
        user.totp_secret = account.secret
        user.totp_enabled = True
    db.session.commit()
    return account


def csrf_token(client: FlaskClient, path: str = "/console/login") -> str:
    """The CSRF token of a form on ``path`` (for this client's session)."""
    html = client.get(path).get_data(as_text=True)
    if not client.application.config.get("WTF_CSRF_ENABLED", True):
        return ""
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {path}"
    return match[1]


def sign_in(client: FlaskClient, account: Account, *, follow: bool = False):
    """Sign in through the forms: password, then (if enabled) a TOTP code."""
    token = csrf_token(client)
    response = client.post(
        "/console/login",
        data={"email": account.email, "password": account.password, "csrf_token": token},
    )
    if account.secret and response.status_code == 302 and "/login/code" in response.location:
        token = csrf_token(client, "/console/login/code")
        response = client.post(
            "/console/login/code", data={"code": account.code(), "csrf_token": token}
        )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client.get(response.location) if follow else response


@dataclass
class World:
    """Two guilds, two cities and a signed-in-able account per role, own and foreign."""

    guild: GuildAssociation
    foreign_guild: GuildAssociation
    city: PartnerCity
    foreign_city: PartnerCity
    accounts: dict[str, Account]


def make_world() -> World:
    """The matrix world: guild_own/guild_foreign work for guild/foreign_guild, etc."""
    guild = create_guild("innung-a", "Kreishandwerkerschaft A", actor="test")
    foreign_guild = create_guild("innung-b", "Kreishandwerkerschaft B", actor="test")
    city = create_city("stadt-a", "Stadt A", 51.9, 11.05, actor="test")
    foreign_city = create_city("stadt-b", "Stadt B", 51.8, 11.15, actor="test")
    db.session.commit()
    accounts = {
        "admin": make_account("admin", email="admin@example.org"),
        "guild_own": make_account("guild_staff", guild=guild),
        "guild_foreign": make_account("guild_staff", guild=foreign_guild),
        "city_own": make_account("city_editor", city=city),
        "city_foreign": make_account("city_editor", city=foreign_city),
    }
    return World(guild, foreign_guild, city, foreign_city, accounts)
