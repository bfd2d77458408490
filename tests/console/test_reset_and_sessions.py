"""Password reset by e-mail (real SMTP), session limits, the sessions page, cookies."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from backend import create_app
from backend.core.types import utcnow
from backend.extensions import db
from backend.organisations.models import StaffSession
from backend.organisations.passwords import verify_password
from tests.console.staff_helpers import PASSWORD, csrf_token, make_account, sign_in

NEW = "ein ganz neues Passwort 2027"


def _post(client, path, data, token_from=None):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from or path)})


def _reset_link(message) -> str:
    return re.search(r"http://127\.0\.0\.1:5000(/console/reset/\S+)", message.get_content())[1]


def test_a_forged_host_header_never_reaches_the_reset_link(client, smtp_server):
    make_account("admin", email="chef@example.org")
    client.environ_base["HTTP_HOST"] = "evil.example"  # every request of this browser
    answer = _post(client, "/console/reset", {"email": "chef@example.org"})
    assert answer.status_code == 200
    [message] = smtp_server.inbox.wait_for(1)
    assert "evil.example" not in message.get_content()
    assert _reset_link(message).startswith("/console/reset/")


def test_reset_link_by_mail_sets_a_new_password_once_and_keeps_the_second_factor(
    client, smtp_server
):
    account = make_account("admin", email="chef@example.org")
    answer = _post(client, "/console/reset", {"email": "Chef@Example.org"})
    assert "Wenn es ein Konto mit dieser Adresse gibt" in answer.get_data(as_text=True)
    [message] = smtp_server.inbox.wait_for(1)
    assert message["To"] == "chef@example.org" and "Neues Passwort" in message["Subject"]
    link = _reset_link(message)

    page = client.get(link)
    assert page.status_code == 200 and "chef@example.org" in page.get_data(as_text=True)
    done = _post(client, link, {"new": NEW, "repeat": NEW})
    assert done.location == "/console/login"
    db.session.refresh(account.user)
    assert verify_password(account.user.password_hash, NEW)
    assert client.get(link).status_code == 410  # used up

    account.password = NEW
    first = _post(client, "/console/login", {"email": account.email, "password": NEW})
    assert first.location.startswith("/console/login/code")  # still two factors


def test_reset_for_an_unknown_address_answers_alike_and_sends_nothing(client, smtp_server):
    make_account("admin", email="chef@example.org")
    answer = _post(client, "/console/reset", {"email": "niemand@example.org"})
    assert "Wenn es ein Konto mit dieser Adresse gibt" in answer.get_data(as_text=True)
    assert smtp_server.inbox.messages == []


def test_forged_and_foreign_links_do_not_work(client, app, smtp_server):
    account = make_account("admin", email="chef@example.org")
    _post(client, "/console/reset", {"email": account.email})
    token = _reset_link(smtp_server.inbox.wait_for(1)[0]).rsplit("/", 1)[1]
    assert client.get(f"/console/reset/{token[:-2]}xx").status_code == 410
    assert client.get(f"/console/invitation/{token}").status_code == 410  # other purpose
    account.user.active = False
    db.session.commit()
    assert client.get(f"/console/reset/{token}").status_code == 410


def _age_session(**ages: timedelta) -> None:
    values = {column: utcnow() - age for column, age in ages.items()}
    db.session.execute(update(StaffSession).values(**values))
    db.session.commit()


def test_a_session_ends_after_30_idle_minutes(client):
    sign_in(client, make_account("admin", email="chef@example.org"))
    _age_session(last_seen_at=timedelta(minutes=29))
    assert client.get("/console/account").status_code == 200
    _age_session(last_seen_at=timedelta(minutes=31))
    expired = client.get("/console/account")
    assert expired.status_code == 302
    page = client.get(expired.location).get_data(as_text=True)
    assert "Ihre Sitzung ist abgelaufen" in page
    assert db.session.scalar(select(StaffSession.ended_at)) is not None


def test_a_session_ends_after_12_hours_however_busy(client):
    sign_in(client, make_account("admin", email="chef@example.org"))
    _age_session(created_at=timedelta(hours=11, minutes=59))
    assert client.get("/console/account").status_code == 200
    _age_session(created_at=timedelta(hours=12, minutes=1))
    assert client.get("/console/account").status_code == 302


def test_sessions_page_lists_them_and_ends_all_others(app, client):
    account = make_account("admin", email="chef@example.org")
    sign_in(client, account)
    laptop = app.test_client()
    sign_in(laptop, account)
    page = client.get("/console/account/sessions").get_data(as_text=True)
    assert page.count("<tr><td>") == 2 and "(diese)" in page
    response = _post(client, "/console/account/sessions/end-all", {},
                     token_from="/console/account/sessions")  # fmt: skip
    assert response.status_code == 302
    assert "1 andere Sitzung(en) beendet" in client.get(response.location).get_data(as_text=True)
    assert laptop.get("/console/account").status_code == 302
    assert client.get("/console/account").status_code == 200


def test_changing_the_password_ends_the_other_sessions(app, client):
    account = make_account("admin", email="chef@example.org")
    sign_in(client, account)
    other = app.test_client()
    sign_in(other, account)
    _post(client, "/console/account/password",
          {"current": PASSWORD, "new": NEW, "repeat": NEW})  # fmt: skip
    assert other.get("/console/account").status_code == 302
    assert client.get("/console/account").status_code == 200


def test_cookies_are_http_only_and_lax_and_secure_with_host_prefix_in_production(app, client):
    cookie = client.get("/console/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    production = create_app({
        "SECRET_KEY": "a-real-secret-key-of-this-installation",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SQLALCHEMY_ENGINE_OPTIONS": app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        "REDIS_URL": app.config["REDIS_URL"], "SEARCH_INDEX": "off",
    })  # fmt: skip
    with production.test_client() as browser:
        cookie = browser.get("/console/login", base_url="https://localhost").headers["Set-Cookie"]
    assert cookie.startswith("__Host-schnellruf=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie and "SameSite=Lax" in cookie
    with production.app_context():
        db.engine.dispose()
