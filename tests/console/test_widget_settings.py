"""A city's widget settings: portal origins and colours, by its own editors (others read)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.organisations.models import PartnerCity
from backend.organisations.operations import create_city
from tests.console.staff_helpers import csrf_token, make_account, sign_in

SETTINGS = "/console/widgets/stadt-a/settings"


@pytest.fixture
def city(app_context):
    created = create_city("stadt-a", "Stadt A", 51.9, 11.05,
                          allowed_origins=["https://www.stadt-a.de"], actor="test")  # fmt: skip
    db.session.commit()
    return created


@pytest.fixture
def editor(client, city):
    account = make_account("city_editor", city=city)
    sign_in(client, account)
    return account


def post(client, action: str, **data):
    token = csrf_token(client, SETTINGS)
    return client.post(f"/console/widgets/stadt-a/{action}", data={**data, "csrf_token": token})


def stored(slug: str = "stadt-a") -> PartnerCity:
    db.session.expire_all()
    return db.session.scalar(select(PartnerCity).where(PartnerCity.slug == slug))


def test_an_editor_registers_and_removes_a_portal_origin(client, editor):
    added = post(client, "origins", origin="  HTTPS://Portal.Stadt-A.de:8443/ ")
    assert added.status_code == 302
    assert stored().allowed_origins == ["https://www.stadt-a.de", "https://portal.stadt-a.de:8443"]
    page = client.get(added.location).get_data(as_text=True)
    assert "https://portal.stadt-a.de:8443 darf das Widget jetzt einbetten." in page
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "allow_origin"))
    assert entry.actor == editor.email
    removed = post(client, "origins/remove", origin="https://www.stadt-a.de")
    assert removed.status_code == 302
    assert stored().allowed_origins == ["https://portal.stadt-a.de:8443"]
    assert (
        "frame-ancestors https://portal.stadt-a.de:8443 'self'"
        in client.get("/widget/stadt-a").headers["Content-Security-Policy"]
    )


@pytest.mark.parametrize(
    ("origin", "reason"),
    [
        ("https://www.stadt-a.de/notdienst", "keinen Pfad"),
        ("https://*.stadt-a.de", "Platzhalter"),
        ("www.stadt-a.de", "Schema und Rechner"),
        ("http://www.stadt-a.de", "https"),
        ("https://www.stadt-a.de:99999", "Port"),
        ("", "Bitte ausfüllen"),
    ],
)
def test_a_wrong_origin_is_refused_with_the_reason_and_stores_nothing(client, editor, origin,
                                                                      reason):  # fmt: skip
    response = post(client, "origins", origin=origin)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert reason in page
    assert 'aria-invalid="true"' in page
    assert stored().allowed_origins == ["https://www.stadt-a.de"]


def test_colours_below_the_contrast_are_refused_with_the_reason(client, editor):
    response = post(client, "theme", background="#ffffff", text="#999999")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Text auf Hintergrund: Kontrast 2,85:1" in page and "mindestens 4,5:1" in page
    assert stored().theme in (None, {})
    saved = post(client, "theme", background="#fffbe6", text="#1a1a1a", primary="#7a1f1f")
    assert saved.status_code == 302
    assert stored().theme == {"background": "#fffbe6", "text": "#1a1a1a", "primary": "#7a1f1f"}
    style = client.get("/widget/stadt-a/style.css").get_data(as_text=True)
    assert "--w-background:#fffbe6" in style and "--w-primary:#7a1f1f" in style
    reset = post(client, "theme")  # every field empty: the defaults again
    assert reset.status_code == 302 and stored().theme == {}


def test_the_settings_in_english(client, editor):
    client.get(SETTINGS + "?lang=en")
    response = post(client, "theme", text="#eeeeee")
    page = response.get_data(as_text=True)
    assert "text on background: contrast" in page and "at least 4.5:1 is needed" in page
    response = post(client, "origins", origin="https://www.stadt-a.de/x")
    assert "an origin has no path" in response.get_data(as_text=True)


def test_other_staff_read_the_settings_but_change_nothing(client, city, app):
    other = create_city("stadt-b", "Stadt B", 51.8, 11.15, actor="test")
    db.session.commit()
    sign_in(client, make_account("city_editor", city=other))
    page = client.get(SETTINGS).get_data(as_text=True)
    assert "Nur lesen" in page and "https://www.stadt-a.de" in page
    assert '<form method="post" action="/console/widgets/stadt-a' not in page
    token = csrf_token(client, SETTINGS)
    refused = client.post("/console/widgets/stadt-a/origins",
                          data={"origin": "https://evil.example", "csrf_token": token})  # fmt: skip
    assert refused.status_code == 403
    assert stored().allowed_origins == ["https://www.stadt-a.de"]


def test_a_change_needs_the_form_token(client, editor):
    response = client.post("/console/widgets/stadt-a/origins", data={"origin": "https://x.de"})
    assert response.status_code == 400
    assert stored().allowed_origins == ["https://www.stadt-a.de"]
