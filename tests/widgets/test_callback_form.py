"""The callback form in the widget: no script, no cookie, the API's operation and limits,
German messages, and a state page that reloads itself until the request is final."""

from __future__ import annotations

import re

from sqlalchemy import select

from backend.extensions import db
from backend.messaging.models import CallbackRequest
from tests.messaging.conftest import fake_twilio, twilio, twilio_post, work_queue  # noqa: F401
from tests.widgets.conftest import PORTAL


def form_url(business, **query) -> str:
    args = "&".join(f"{key}={value}" for key, value in {"emergency": "wasser", **query}.items())
    return f"/widget/halberstadt/callback/{business.id}?{args}"


def ask(client, business, phone="0170 1234567", consent="yes", **query):
    data = {"phone": phone, **({"consent": consent} if consent else {})}
    return client.post(form_url(business, **query), data=data)


def test_results_offer_the_callback_next_to_the_call_link(client, businesses):
    html = client.get("/widget/halberstadt?emergency=wasser").get_data(as_text=True)
    near = businesses["near"]
    call = html.index(f'data-call="{near.id}"')
    offer = html.index(f'href="/widget/halberstadt/callback/{near.id}?emergency=wasser"')
    assert call < offer < html.index("</li>", call)
    assert "Rückruf anfordern" in html


def test_the_form_needs_no_script_and_sets_no_cookie(client, businesses):
    response = client.get(form_url(businesses["near"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "<script" not in html and 'method="post"' in html
    assert '<label for="cb-phone">Ihre Telefonnummer</label>' in html
    assert 'type="checkbox" value="yes" required' in html and "24 Stunden" in html
    assert response.headers["Content-Security-Policy"].endswith(f"frame-ancestors {PORTAL} 'self'")
    assert "Sanitär Nahbei" in html and 'href="tel:+493023125001"' in html


def test_refusals_are_german_and_store_nothing(client, businesses):
    near = businesses["near"]
    response = ask(client, near, consent=None)
    assert response.status_code == 422
    assert "Bitte bestätigen Sie, dass der Betrieb Ihre Nummer erhalten darf." in response.text
    response = ask(client, near, phone="+43 664 1234567")
    assert response.status_code == 422 and 'aria-invalid="true"' in response.text
    assert "Rückrufe gehen nur an deutsche Telefonnummern (+49)." in response.text
    assert 'value="+43 664 1234567"' in response.text  # kept for correcting
    response = ask(client, near, phone="0900 1234567", lang="en")
    assert "Give a mobile or landline number" in response.text
    assert db.session.scalars(select(CallbackRequest)).all() == []


def test_a_request_moves_from_queued_to_not_answered(app, client, twilio, businesses):  # noqa: F811
    response = ask(client, businesses["near"])
    assert response.status_code == 303 and "Set-Cookie" not in response.headers
    assert re.fullmatch(r"/widget/halberstadt/callbacks/[0-9a-f-]{36}\?emergency=wasser",
                        response.location)  # fmt: skip
    callback = db.session.scalars(select(CallbackRequest)).one()
    assert callback.channel == "widget" and callback.emergency == "wasser"
    assert callback.resident_phone == "+491701234567"
    page = client.get(response.location)
    assert page.status_code == 200 and "Ihre Rückrufbitte ist eingegangen." in page.text
    assert '<meta http-equiv="refresh" content="5">' in page.text
    manual = client.get(response.location + "&auto=0").text
    assert "http-equiv" not in manual and "Jetzt aktualisieren" in manual
    assert "<script" not in page.text and "0170" not in page.text
    assert "frame-ancestors https://www.halberstadt.de" in page.headers["Content-Security-Policy"]

    work_queue(app)
    assert "Wir rufen den Betrieb an" in client.get(response.location).text
    (call,) = twilio.sent("call")
    db.session.refresh(callback)
    params = {"CallSid": callback.call_sid, "CallStatus": "no-answer"}
    twilio_post(client, call.value("StatusCallback"), params, twilio.auth_token)
    final = client.get(response.location + "&lang=en")
    assert "Please try the next business in the list." in final.text
    assert "http-equiv" not in final.text  # final: no more reloading
    assert 'href="/widget/halberstadt?lang=en&amp;emergency=wasser"' in final.text


def test_limits_are_shared_with_the_api(app, client, businesses, monkeypatch):
    monkeypatch.setitem(app.config, "CALLBACK_LIMIT_PER_NUMBER", "1 per hour")
    near, electric = businesses["near"], businesses["electric"]
    body = {"business_id": near.id, "phone": "+49 170 1234567", "consent": True}
    assert client.post("/api/v1/callbacks", json=body).status_code == 202
    response = ask(client, electric, phone="0170 1234567")
    assert response.status_code == 429
    assert "Zu viele Rückrufbitten. Bitte rufen Sie direkt an." in response.text
    assert f"frame-ancestors {PORTAL}" in response.headers["Content-Security-Policy"]
    assert ask(client, electric, phone="0171 7654321").status_code == 303  # another number


def test_unknown_state_business_or_city(client, businesses):
    missing = client.get("/widget/halberstadt/callbacks/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and "gibt es nicht (mehr)" in missing.text
    assert client.get("/widget/halberstadt/callback/999999").status_code == 404
    assert client.post("/widget/halberstadt/callback/99999999999").status_code == 404
    assert client.get(f"/widget/atlantis/callback/{businesses['near'].id}").status_code == 404


def test_the_privacy_notice_covers_the_widget_callback(client, city):
    german = client.get("/datenschutz").text
    assert "Eine Rückrufbitte im Widget" in german
    assert "spätestens 24 Stunden nach\nIhrer Anfrage gelöscht" in german
    assert "callback request made in the widget" in client.get("/en/privacy").text
