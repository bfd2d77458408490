"""The console's business pages through the test client, as a signed-in guild employee."""

from __future__ import annotations

import csv
import io
import re
import uuid

from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.businesses.models import Business
from backend.calls.models import CallEvent
from backend.extensions import db
from tests.console.business_helpers import make_business
from tests.console.staff_helpers import csrf_token, sign_in
from tests.imports.import_helpers import business as business_row
from tests.imports.import_helpers import csv_bytes

SEARCH = "/api/v1/search?postcode=38820&emergency=wasser&available=any"


def form_of(html: str) -> dict[str, str]:
    """What the page's business form posts: its inputs, ticked boxes and textareas."""
    form = html[html.index('<form method="post" action="/console/businesses/') :]
    form = form[: form.index("</form>")]
    values = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None:
            continue
        if 'type="checkbox"' in tag:
            values[name[1]] = "ja" if " checked" in tag else ""
        else:
            values[name[1]] = value[1] if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', form):
        values[name] = text
    return {key: value.replace("&amp;", "&").replace("&#34;", '"') for key, value in values.items()}


def test_an_edit_is_in_the_public_search_at_once(staff_client, world):
    business_id = make_business(world.guild)
    assert staff_client.get(SEARCH).json["results"][0]["name"] == "Sanitär Beispiel"
    page = staff_client.get(f"/console/businesses/{business_id}").get_data(as_text=True)
    form = {**form_of(page), "name": "Sanitär Neu GmbH", "action": "save"}
    response = staff_client.post(f"/console/businesses/{business_id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert staff_client.get(SEARCH).json["results"][0]["name"] == "Sanitär Neu GmbH"
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "update"))
    assert entry.actor_id == world.accounts["guild_own"].user.id
    assert [(c.field, c.old_value, c.new_value) for c in entry.changes] == [
        ("name", "Sanitär Beispiel", "Sanitär Neu GmbH")
    ]


def test_bad_fields_show_the_imports_german_message_next_to_them(staff_client, world):
    business_id = make_business(world.guild)
    page = staff_client.get(f"/console/businesses/{business_id}?lang=de").get_data(as_text=True)
    form = {**form_of(page), "phone": "12", "opening_hours": "Mo-Fr 7-", "action": "save"}
    response = staff_client.post(f"/console/businesses/{business_id}", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="e-phone">[^<]*keine gültige Telefonnummer', html)
    assert 'id="e-opening_hours"' in html
    assert db.session.get(Business, business_id).phone == "+4939411234567"


def test_a_second_save_from_the_same_version_shows_both_versions(app, staff_client, world):
    business_id = make_business(world.guild)
    page = staff_client.get(f"/console/businesses/{business_id}").get_data(as_text=True)
    other = app.test_client()
    sign_in(other, world.accounts["admin"])
    other_page = other.get(f"/console/businesses/{business_id}").get_data(as_text=True)
    first = {**form_of(other_page), "name": "Von Anna", "action": "save"}
    assert other.post(f"/console/businesses/{business_id}", data=first).status_code == 302
    second = {**form_of(page), "name": "Von Bernd", "action": "save"}
    response = staff_client.post(f"/console/businesses/{business_id}", data=second)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Von Anna" in html and "Von Bernd" in html
    assert 'class="differs"' in html
    db.session.expire_all()
    assert db.session.get(Business, business_id).name == "Von Anna"
    # Saving "my version" from the conflict page now succeeds (against the new version).
    retry = {**form_of(html), "action": "save"}
    assert retry["name"] == "Von Bernd"
    assert staff_client.post(f"/console/businesses/{business_id}", data=retry).status_code == 302
    db.session.expire_all()
    assert db.session.get(Business, business_id).name == "Von Bernd"


def test_the_hours_preview_works_by_submitting(staff_client, world):
    business_id = make_business(world.guild)
    page = staff_client.get(f"/console/businesses/{business_id}?lang=de").get_data(as_text=True)
    form = {**form_of(page), "opening_hours": "Mo-Sa 08:00-12:00; PH off",
            "week": "2026-12-21", "action": "preview"}  # fmt: skip
    html = staff_client.post(f"/console/businesses/{business_id}", data=form).get_data(True)
    assert "Jetzt geöffnet?" in html and "nächster Wechsel" in html
    assert re.search(r'class="holiday">\s*<span class="day">Fr 25.12. <strong>Feiertag', html)
    assert db.session.get(Business, business_id).opening_hours == "Mo-Fr 08:00-17:00; PH off"


def test_create_deactivate_restore_and_check(staff_client, world):
    token = csrf_token(staff_client, f"/console/businesses/new?guild={world.guild.slug}")
    cells = {**business_row("NEU-1"), "innungsbetrieb": "ja", "meisterbetrieb": ""}
    response = staff_client.post(f"/console/businesses/new?guild={world.guild.slug}",
                                 data={**cells, "csrf_token": token, "action": "save"})  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    business = db.session.scalar(select(Business).where(Business.ref == "NEU-1"))
    assert (business.guild_id, business.innungsbetrieb) == (world.guild.id, True)
    url = f"/console/businesses/{business.id}"
    token = csrf_token(staff_client, url)
    staff_client.post(url + "/deactivate", data={"version": business.version, "csrf_token": token})
    assert staff_client.get(SEARCH).json["count"] == 0
    db.session.expire_all()
    staff_client.post(url + "/restore", data={"version": business.version, "csrf_token": token})
    assert staff_client.get(SEARCH).json["count"] == 1
    staff_client.post(url + "/verify", data={"csrf_token": token})
    db.session.expire_all()
    assert business.verified_by == world.accounts["guild_own"].email


def test_list_filters_and_pages(staff_client, world, monkeypatch):
    from backend.console.businesses import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    for name in ("Anton", "Berta", "Cäsar", "Dora"):
        make_business(world.guild, name=name, ref=name.upper())
    make_business(world.guild, name="Emil", ref="EMIL", active=False)
    first = staff_client.get("/console/businesses/").get_data(as_text=True)
    assert "Anton" in first and "Berta" in first and "Cäsar" not in first
    after = re.search(r'rel="next" href="([^"]+)"', first)[1].replace("&amp;", "&")
    second = staff_client.get(after).get_data(as_text=True)
    assert "Cäsar" in second and "Dora" in second and "Anton" not in second
    found = staff_client.get("/console/businesses/?q=dora").get_data(as_text=True)
    assert "Dora" in found and "Anton" not in found
    make_business(world.guild, name="Friedrich", ref="FR-77")
    by_ref = staff_client.get("/console/businesses/?q=fr-77").get_data(as_text=True)
    assert "Friedrich" in by_ref and "Dora" not in by_ref  # the ref, typed in lower case
    inactive = staff_client.get("/console/businesses/?active=no").get_data(as_text=True)
    assert "Emil" in inactive and "Dora" not in inactive
    due = staff_client.get("/console/businesses/?due=1&trade=klempner&town=halberstadt")
    assert "Anton" in due.get_data(as_text=True)
    assert "Anton" not in staff_client.get("/console/businesses/?town=aschersleben").get_data(True)


def test_list_filter_reachability_problems_uses_the_reachability_rule(staff_client, world):
    from backend.roster.stats import unreachable_businesses

    rarely, always = (make_business(world.guild, name=n) for n in ("Selten", "Immer"))
    for business_id, answers in ((rarely, (True, False, False)), (always, (True, True, False))):
        for reached in answers:
            db.session.add(CallEvent(public_id=str(uuid.uuid4()), business_id=business_id,
                                     channel="app", reached=reached))  # fmt: skip
    db.session.commit()
    assert [u.business_id for u in unreachable_businesses(world.guild.id)] == [rarely]
    html = staff_client.get("/console/businesses/?unreachable=1").get_data(as_text=True)
    assert "Selten" in html and "Immer" not in html
    assert 'id="f-unreachable" name="unreachable" type="checkbox" value="1" checked' in html
    assert "Immer" in staff_client.get("/console/businesses/").get_data(as_text=True)


def test_import_preview_names_bad_rows_and_writes_only_on_confirm(staff_client, world):
    url = f"/console/imports/?guild={world.guild.slug}"
    token = csrf_token(staff_client, url)
    data = csv_bytes([business_row("I-1"), business_row("I-2", phone="12")])
    response = staff_client.post(url, data={"csrf_token": token, "kind": "businesses",
                                            "file": (io.BytesIO(data), "betriebe.csv")},
                                 content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r"<td>3</td><td>phone</td><td>12</td>", html)
    assert db.session.scalar(select(Business.id)) is None
    confirm = re.search(r'action="(/console/imports/[^"]+)"', html)[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)[1]
    again = staff_client.post(confirm, data={"csrf_token": token})
    assert again.status_code == 422 and db.session.scalar(select(Business.id)) is None
    written = staff_client.post(confirm, data={"csrf_token": token, "keep_valid": "1"})
    assert written.status_code == 200
    assert db.session.scalars(select(Business.ref)).all() == ["I-1"]


def test_exports_for_machines_and_excel_are_neutralised(staff_client, world):
    make_business(world.guild, name="=SUMME(A1)")
    plain = staff_client.get(f"/console/imports/export?guild={world.guild.slug}")
    assert plain.mimetype == "text/csv"
    row = next(csv.DictReader(io.StringIO(plain.get_data(as_text=True))))
    assert row["name"] == "'=SUMME(A1)"
    excel = staff_client.get(f"/console/imports/export?guild={world.guild.slug}&excel=1")
    assert excel.data.startswith(b"\xef\xbb\xbfref;name;")


def test_audit_of_a_business_filtered_and_as_csv(staff_client, world):
    business_id = make_business(world.guild)
    page = staff_client.get(f"/console/businesses/{business_id}").get_data(as_text=True)
    form = {**form_of(page), "name": "Neu", "email": "neu@example.org", "action": "save"}
    staff_client.post(f"/console/businesses/{business_id}", data=form)
    html = staff_client.get(f"/console/audit/businesses/{business_id}?field=email").get_data(True)
    assert "neu@example.org" in html and "<td>name</td>" not in html
    exported = staff_client.get(f"/console/audit/businesses/{business_id}?format=csv")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert {(row["field"], row["new_value"]) for row in rows} == {
        ("name", "Neu"),
        ("email", "neu@example.org"),
    }
    person = world.accounts["guild_own"].user.id
    mine = staff_client.get(f"/console/audit/people/{person}?format=csv").get_data(True)
    assert "neu@example.org" in mine
