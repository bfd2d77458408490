"""Admin pages: guilds and cities join as data; staff are invited by e-mail."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.core.types import utcnow
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.models import GuildAssociation, PartnerCity, StaffUser
from tests.console.staff_helpers import (
    PASSWORD,
    Account,
    csrf_token,
    make_account,
    make_world,
    sign_in,
)


def _post(client, path, data, token_from=None):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from or path)})


def _admin(client) -> Account:
    account = make_account("admin", email="chef@example.org")
    sign_in(client, account)
    return account


def test_admin_adds_and_renames_a_guild_association(client):
    _admin(client)
    bad = _post(client, "/console/admin/guilds", {"slug": "Harz Bode", "name": "X"})
    assert "Ungültiges Kürzel" in bad.get_data(as_text=True)
    added = _post(client, "/console/admin/guilds", {"slug": "harz-bode", "name": "KHS Harz-Bode"})
    assert added.status_code == 302
    again = _post(client, "/console/admin/guilds", {"slug": "harz-bode", "name": "Doppelt"})
    assert "gibt es schon" in again.get_data(as_text=True)
    renamed = _post(client, "/console/admin/guilds/harz-bode", {"slug": "harz-bode",
                    "name": "Kreishandwerkerschaft Harz-Bode"})  # fmt: skip
    assert renamed.status_code == 302
    guild = db.session.scalar(select(GuildAssociation))
    assert guild.name == "Kreishandwerkerschaft Harz-Bode" and guild.slug == "harz-bode"
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "update"))
    assert entry.actor == "chef@example.org"
    assert entry.details == {"name": ["KHS Harz-Bode", "Kreishandwerkerschaft Harz-Bode"]}


def test_admin_adds_a_city_from_its_postcode_with_coverage_by_town_size(client):
    _admin(client)
    form = {"slug": "wernigerode", "name": "Wernigerode", "postcode": "38855", "radius_km": "20",
            "origins": "https://www.wernigerode.de/\nhttps://portal.wernigerode.de",
            "primary": "#004A99", "active": "y"}  # fmt: skip
    response = _post(client, "/console/admin/cities/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    city = db.session.scalar(select(PartnerCity))
    assert abs(city.lat - 51.83) < 0.05 and abs(city.lon - 10.78) < 0.05
    assert city.coverage_km == 16.0  # about 32,000 inhabitants
    assert city.default_radius_km == 20.0
    assert city.allowed_origins == ["https://www.wernigerode.de", "https://portal.wernigerode.de"]
    assert city.theme == {"primary": "#004a99"}


def test_city_form_names_each_bad_value_in_german(client):
    _admin(client)
    cases = [
        ({"postcode": "00000"}, "Diesen Ort kennt das Ortsverzeichnis nicht"),
        ({}, "Bitte Postleitzahl, Ort oder Koordinaten angeben"),
        ({"lat": "51.8"}, "Breite und Länge gehören zusammen"),
        ({"lat": "48.85", "lon": "2.35"}, "liegt nicht in Deutschland"),
        ({"town": "Aschersleben", "origins": "https://a.de/pfad"}, "keine gültige Portal-Adresse"),
        ({"town": "Aschersleben", "primary": "blau"}, "ist keine Farbe für primary"),
        ({"town": "Aschersleben", "primary": "#ffdd00"}, "Kontrast"),
        ({"town": "Aschersleben", "radius_km": "500"}, "zwischen 1 und 150 km"),
    ]
    for extra, message in cases:
        form = {"slug": "aschersleben", "name": "Aschersleben", "radius_km": "25", **extra}
        page = _post(client, "/console/admin/cities/new", form).get_data(as_text=True)
        assert message in page, (extra, message)
    assert db.session.scalar(select(PartnerCity)) is None  # nothing half-written


def test_editing_a_city_audits_every_changed_field(client):
    world = make_world()
    sign_in(client, world.accounts["admin"])
    form = {"slug": "stadt-a", "name": "Stadt A", "radius_km": "30", "coverage_km": "16",
            "origins": "https://www.stadt-a.de", "active": "y"}  # fmt: skip
    assert _post(client, "/console/admin/cities/stadt-a", form).status_code == 302
    db.session.refresh(world.city)
    assert world.city.coverage_km == 16 and world.city.allowed_origins == ["https://www.stadt-a.de"]
    entry = db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.entity_type == "PartnerCity")
        .order_by(AuditLogEntry.id.desc())
    ).first()  # fmt: skip
    assert entry.details["default_radius_km"] == [25.0, 30.0]
    assert entry.details["coverage_km"] == [25.0, 16.0]
    assert "name" not in entry.details  # unchanged fields are not logged


def test_admin_invites_staff_by_mail_and_the_link_leads_to_set_up(app, client, smtp_server):
    world = make_world()
    sign_in(client, world.accounts["admin"])
    form = {"email": "Neu@Innung-A.de", "name": "Neue Kollegin", "role": "guild_staff",
            "guild": "innung-a", "city": ""}  # fmt: skip
    assert _post(client, "/console/admin/staff", form).status_code == 302
    [message] = smtp_server.inbox.wait_for(1)
    assert message["To"] == "neu@innung-a.de" and "Einladung" in message["Subject"]
    link = re.search(r"http://127\.0\.0\.1:5000(/console/invitation/\S+)", message.get_content())[1]
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "neu@innung-a.de"))
    assert user.guild_id == world.guild.id and user.password_hash == ""

    browser = app.test_client()
    set_it = _post(browser, link, {"new": PASSWORD, "repeat": PASSWORD})
    assert set_it.location == "/console/login"
    first = _post(browser, "/console/login", {"email": "neu@innung-a.de", "password": PASSWORD})
    assert first.location == "/console/account/totp"  # the second factor comes next


def test_an_invitation_that_cannot_be_sent_creates_nothing(app, client, monkeypatch):
    world = make_world()
    sign_in(client, world.accounts["admin"])
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # discard: nobody listens
    form = {"email": "neu@example.org", "name": "Neu", "role": "admin", "guild": "", "city": ""}
    page = _post(client, "/console/admin/staff", form).get_data(as_text=True)
    assert "Es wurde nichts angelegt" in page
    assert db.session.scalar(select(StaffUser).where(StaffUser.email == "neu@example.org")) is None


def test_deactivating_an_account_ends_its_sessions_at_once(app, client):
    world = make_world()
    sign_in(client, world.accounts["admin"])
    colleague = app.test_client()
    sign_in(colleague, world.accounts["guild_own"])
    assert colleague.get("/console/").status_code == 200
    user_id = world.accounts["guild_own"].user.id
    response = _post(client, f"/console/admin/staff/{user_id}/active", {},
                     token_from="/console/admin/staff")  # fmt: skip
    assert response.status_code == 302
    assert colleague.get("/console/").status_code == 302
    assert "deaktiviert" in client.get("/console/admin/staff").get_data(as_text=True)


def test_a_grant_given_on_the_guild_page_is_seen_on_both_sides_and_ends_at_once(app, client):
    world = make_world()
    sign_in(client, world.accounts["guild_own"])
    start = utcnow().astimezone(BERLIN) - timedelta(minutes=5)
    end = start + timedelta(days=14)
    form = {"grantee": "innung-b", "starts_at": f"{start:%Y-%m-%dT%H:%M}",
            "ends_at": f"{end:%Y-%m-%dT%H:%M}", "note": "Urlaub"}  # fmt: skip
    page = "/console/guilds/innung-a"
    assert _post(client, f"{page}/grants", form, token_from=page).status_code == 302

    other = app.test_client()
    sign_in(other, world.accounts["guild_foreign"])
    theirs = other.get("/console/guilds/innung-b").get_data(as_text=True)
    assert "Kreishandwerkerschaft A" in theirs and "Urlaub" in theirs and "gültig" in theirs
    assert other.get(page).status_code == 403  # data yes, the guild's own page no

    grant_id = re.search(r"/grants/(\d+)/revoke", client.get(page).get_data(as_text=True))[1]
    ended = _post(client, f"{page}/grants/{grant_id}/revoke", {}, token_from=page)
    assert ended.status_code == 302
    assert "widerrufen" in other.get("/console/guilds/innung-b").get_data(as_text=True)


def test_a_grant_ending_before_it_starts_is_refused_in_german(client):
    make_world()
    world_admin = make_account("admin", email="boss@example.org")
    sign_in(client, world_admin)
    page = "/console/guilds/innung-a"
    form = {"grantee": "innung-b", "starts_at": "2030-01-02T10:00", "ends_at": "2030-01-01T10:00"}
    answer = _post(client, f"{page}/grants", form, token_from=page).get_data(as_text=True)
    assert "Das Ende muss nach dem Beginn liegen" in answer
