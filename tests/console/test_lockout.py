"""Failed sign-ins slow down and lock out, per account and per address, alike for all."""

from __future__ import annotations

from tests.console.staff_helpers import PASSWORD, csrf_token, make_account


def _try(client, email, password):
    token = csrf_token(client)
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/console/login", data=data)


def test_an_account_locks_after_failures_even_for_the_right_password(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT", "3 per hour")
    account = make_account("admin", email="chef@example.org", totp=False)
    statuses = [_try(client, account.email, "falsch falsch falsch").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    locked = _try(app.test_client(), account.email, PASSWORD)  # another browser, right password
    assert locked.status_code == 429
    assert "Zu viele Versuche" in locked.get_data(as_text=True)
    # Another account from the same address is not affected.
    other = make_account("admin", email="vize@example.org", totp=False)
    assert _try(client, other.email, PASSWORD).status_code == 302


def test_unknown_accounts_lock_exactly_like_known_ones(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT", "2 per hour")
    make_account("admin", email="chef@example.org", totp=False)
    known = [_try(client, "chef@example.org", "falsch falsch").status_code for _ in range(3)]
    unknown = [_try(client, "wer@example.org", "falsch falsch").status_code for _ in range(3)]
    assert known == unknown == [200, 200, 429]


def test_an_address_locks_after_failures_on_many_accounts(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CONSOLE_SIGN_IN_LIMIT_PER_ADDRESS", "4 per hour")
    account = make_account("admin", email="chef@example.org", totp=False)
    for n in range(4):
        assert _try(client, f"probe{n}@example.org", "falsch falsch").status_code == 200
    assert _try(client, account.email, PASSWORD).status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert _try(elsewhere, account.email, PASSWORD).status_code == 302


def test_wrong_codes_count_against_the_account(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT", "2 per hour")
    account = make_account("admin", email="chef@example.org")
    assert _try(client, account.email, PASSWORD).status_code == 302
    for expected in (200, 200, 429):
        token = csrf_token(client, "/console/login/code")
        response = client.post("/console/login/code", data={"code": "000000", "csrf_token": token})
        assert response.status_code == expected


def test_successful_sign_ins_do_not_count(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT", "2 per hour")
    account = make_account("admin", email="chef@example.org", totp=False)
    for _ in range(4):
        assert _try(app.test_client(), account.email, PASSWORD).status_code == 302
