"""Signing in at /console/login: password, second factor, first-run set-up, sign-out."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.organisations.models import StaffSession, StaffUser
from backend.organisations.operations import create_city, create_guild, create_staff_user
from tests.console.staff_helpers import PASSWORD, csrf_token, make_account, sign_in


def _post(client, path, data, token_from=None):
    token = csrf_token(client, token_from or path)
    return client.post(path, data={**data, "csrf_token": token})


def test_first_sign_in_sets_a_password_then_enrols_totp_and_shows_recovery_codes(client):
    guild = create_guild("harz-bode", "Harz-Bode", actor="test")
    user, one_time = create_staff_user("neu@example.org", "Neu", "guild_staff", guild=guild,
                                       actor="test")  # fmt: skip
    db.session.commit()

    response = _post(client, "/console/login", {"email": "NEU@example.org", "password": one_time})
    assert response.status_code == 302 and response.location == "/console/account/password"
    # Nothing else opens before the set-up is done.
    assert client.get("/console/").location == "/console/account/password"
    assert client.get("/console/account/totp").location == "/console/account/password"

    short = _post(client, "/console/account/password",
                  {"current": one_time, "new": "kurz", "repeat": "kurz"})  # fmt: skip
    assert "mindestens 12 Zeichen" in short.get_data(as_text=True)
    differ = _post(client, "/console/account/password",
                   {"current": one_time, "new": PASSWORD, "repeat": PASSWORD + "x"})  # fmt: skip
    assert "verschieden" in differ.get_data(as_text=True)
    done = _post(client, "/console/account/password",
                 {"current": one_time, "new": PASSWORD, "repeat": PASSWORD})  # fmt: skip
    assert done.location == "/console/account/totp"
    assert client.get("/console/").location == "/console/account/totp"

    page = client.get("/console/account/totp").get_data(as_text=True)
    assert '<svg role="img" aria-label="QR-Code' in page  # drawn here, inline
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)[1].replace(" ", "")
    db.session.refresh(user)
    assert user.totp_secret == secret and not user.totp_enabled

    wrong = _post(client, "/console/account/totp", {"code": "000000"})
    assert "Der Code stimmt nicht" in wrong.get_data(as_text=True)
    codes_page = _post(client, "/console/account/totp", {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([a-z0-9-]{14})</code></li>", codes_page.get_data(as_text=True))
    assert len(codes) == 10
    assert client.get("/console/").status_code == 200

    db.session.refresh(user)
    assert user.totp_enabled and not user.must_change_password
    assert user.password_hash.startswith("$argon2id$")
    assert all(code not in str(user.recovery_code_hashes) for code in codes)  # hashed
    actions = set(db.session.scalars(select(AuditLogEntry.action)))
    assert {"set_password", "enable_totp", "new_recovery_codes"} <= actions


def test_wrong_password_unknown_account_and_deactivated_account_look_the_same(client):
    account = make_account("admin", email="chef@example.org")
    gone = make_account("admin", email="weg@example.org")
    gone.user.active = False
    db.session.commit()
    answers = []
    for email, password in [
        (account.email, "falsches Passwort 123"),
        ("niemand@example.org", PASSWORD),
        (gone.email, PASSWORD),
    ]:
        response = _post(client, "/console/login", {"email": email, "password": password})
        body = response.get_data(as_text=True)
        answers.append((response.status_code, "Passwort ist falsch" in body))
    assert answers == [(200, True)] * 3
    assert client.get("/console/").status_code == 302


def test_totp_codes_are_not_accepted_twice_and_recovery_codes_only_once(client, app):
    account = make_account("admin", email="chef@example.org")
    first = _post(client, "/console/login", {"email": account.email, "password": PASSWORD})
    assert first.location.startswith("/console/login/code")
    code = account.code()
    ok = _post(client, "/console/login/code", {"code": code})
    assert ok.status_code == 302 and client.get("/console/").status_code == 200

    other = app.test_client()
    _post(other, "/console/login", {"email": account.email, "password": PASSWORD})
    replay = _post(other, "/console/login/code", {"code": code})
    assert "schon verwendet" in replay.get_data(as_text=True)
    assert other.get("/console/").status_code == 302

    codes = _post(client, "/console/account/recovery-codes", {}, token_from="/console/account")
    recovery = re.findall(r"<li><code>([a-z0-9-]{14})</code></li>", codes.get_data(as_text=True))
    used = _post(other, "/console/login/code", {"code": recovery[0].upper()})
    assert used.status_code == 302 and other.get("/console/").status_code == 200

    third = app.test_client()
    _post(third, "/console/login", {"email": account.email, "password": PASSWORD})
    again = _post(third, "/console/login/code", {"code": recovery[0]})
    assert "schon verwendet" in again.get_data(as_text=True)


def test_city_editor_may_go_without_a_second_factor(client):
    city = create_city("wernigerode", "Wernigerode", 51.835, 10.785, actor="test")
    account = make_account("city_editor", city=city, totp=False)
    response = sign_in(client, account)
    assert response.location == "/console/"
    assert "Zweiten Faktor einrichten" in client.get("/console/account").get_data(as_text=True)


def test_sign_out_ends_the_session_on_the_server(client):
    account = make_account("admin", email="chef@example.org")
    sign_in(client, account)
    assert client.get("/console/account").status_code == 200
    response = _post(client, "/console/logout", {}, token_from="/console/account")
    assert response.location == "/console/login"
    assert client.get("/console/account").status_code == 302
    session = db.session.scalar(select(StaffSession))
    assert session.ended_at is not None


def test_every_console_form_needs_its_csrf_token(client):
    account = make_account("admin", email="chef@example.org")
    refused = client.post("/console/login", data={"email": account.email, "password": PASSWORD})
    assert refused.status_code == 400
    assert "Das Formular ist abgelaufen" in refused.get_data(as_text=True)
    sign_in(client, account)
    assert client.post("/console/logout").status_code == 400
    assert client.get("/console/account").status_code == 200  # still signed in


def test_next_page_after_sign_in_stays_inside_the_console(client):
    city = create_city("wernigerode", "Wernigerode", 51.835, 10.785, actor="test")
    account = make_account("city_editor", city=city, totp=False)
    assert client.get("/console/account").location == "/console/login?next=/console/account"
    for target, expected in [("/console/account", "/console/account"),
                             ("https://evil.example/", "/console/"),
                             ("//evil.example/console/", "/console/")]:  # fmt: skip
        browser = client.application.test_client()
        token = csrf_token(browser)
        response = browser.post(f"/console/login?next={target}",
                                data={"email": account.email, "password": PASSWORD,
                                      "csrf_token": token})  # fmt: skip
        assert response.location == expected


def test_pages_are_german_first_and_english_on_request(client):
    german = client.get("/console/login")
    assert '<html lang="de">' in german.get_data(as_text=True)
    assert german.headers["Cache-Control"] == "no-store"
    english = client.get("/console/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Sign in" in english.get_data(as_text=True)
    asked = client.get("/console/login?lang=en")
    assert '<html lang="en">' in asked.get_data(as_text=True)
    assert '<html lang="en">' in client.get("/console/login").get_data(as_text=True)  # kept
    back = client.get("/console/login?lang=de").get_data(as_text=True)
    assert "Anmelden" in back and 'href="/console/login?lang=en"' in back


def test_a_deactivated_account_loses_its_open_sessions(client):
    from backend.organisations.accounts import set_active

    account = make_account("admin", email="chef@example.org")
    sign_in(client, account)
    set_active(db.session.get(StaffUser, account.user.id), False, actor="test")
    db.session.commit()
    assert client.get("/console/account").status_code == 302
