"""What a callback request accepts, the limits against pumping, and signed webhooks only."""

from __future__ import annotations

import pytest

from backend.extensions import db
from backend.messaging.models import CallbackRequest, OutboundMessage
from tests import factories
from tests.messaging.conftest import PUBLIC_BASE_URL, twilio_post, work_queue


def ask(client, business_id: int, phone: str = "0170 1234567", **extra):
    body = {"business_id": business_id, "phone": phone, "consent": True, "emergency": "wasser"}
    return client.post("/api/v1/callbacks", json={**body, **extra})


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("+43 664 1234567", "+49"),  # Austrian mobile
        ("+1 202 555 0143", "+49"),
        ("0900 1234567", "Sondernummern"),  # premium rate
        ("1234", "Telefonnummer"),
        ("keine nummer", "Telefonnummer"),
    ],
)
def test_only_german_callable_numbers(client, twilio, plumber, phone, message):
    response = ask(client, plumber.id, phone=phone)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert message in response.json["detail_de"]
    assert response.json["errors"][0]["parameter"] == "phone"
    assert db.session.query(CallbackRequest).count() == 0


def test_consent_is_required(client, twilio, plumber):
    response = ask(client, plumber.id, consent=False)
    assert response.status_code == 422
    assert response.json["errors"][0]["parameter"] == "consent"


def test_unknown_or_inactive_business_and_emergency(client, twilio):
    inactive = factories.business(active=False)
    assert ask(client, 999999).status_code == 422
    assert ask(client, inactive.id).json["errors"][0]["parameter"] == "business_id"
    listed = factories.business()
    assert ask(client, listed.id, emergency="nix").status_code == 422
    assert db.session.query(CallbackRequest).count() == 0
    assert db.session.query(OutboundMessage).count() == 0


def test_unknown_callback_is_404(client, twilio):
    response = client.get("/api/v1/callbacks/1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    assert response.status_code == 404


def test_limit_per_resident_number(app, client, twilio):
    app.config["CALLBACK_LIMIT_PER_NUMBER"] = "2 per hour"
    first, second, third = (factories.business() for _ in range(3))
    assert ask(client, first.id, phone="0170 1234567").status_code == 202
    assert ask(client, second.id, phone="+49 170 1234567").status_code == 202
    limited = ask(client, third.id, phone="01701234567")  # the same number, spelled apart
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json"
    assert ask(client, third.id, phone="0170 7654321").status_code == 202


def test_invalid_requests_do_not_use_up_a_number(app, client, twilio, plumber):
    app.config["CALLBACK_LIMIT_PER_NUMBER"] = "1 per hour"
    assert ask(client, plumber.id, consent=False).status_code == 422
    assert ask(client, plumber.id).status_code == 202


def test_limit_per_business(app, client, twilio, plumber):
    app.config["CALLBACK_LIMIT_PER_BUSINESS"] = "2 per hour"
    assert ask(client, plumber.id, phone="0170 1111111").status_code == 202
    assert ask(client, plumber.id, phone="0170 2222222").status_code == 202
    assert ask(client, plumber.id, phone="0170 3333333").status_code == 429
    other = factories.business()
    assert ask(client, other.id, phone="0170 3333333").status_code == 202


def test_limit_per_client_address(app, client, twilio):
    app.config["CALLBACK_LIMIT_PER_ADDRESS"] = "2 per hour"
    businesses = [factories.business() for _ in range(3)]
    codes = [
        ask(client, b.id, phone=f"0170 {n}234567").status_code for n, b in enumerate(businesses, 1)
    ]
    assert codes == [202, 202, 429]
    other = client.post(
        "/api/v1/callbacks",
        json={"business_id": businesses[2].id, "phone": "0170 9234567", "consent": True},
        environ_base={"REMOTE_ADDR": "192.0.2.77"},
    )
    assert other.status_code == 202


def test_forged_or_missing_signature_is_refused(app, client, twilio, plumber):
    public_id = ask(client, plumber.id).json["id"]
    work_queue(app)
    url = f"{PUBLIC_BASE_URL}/twilio/callbacks/{public_id}/gather"
    forged = twilio_post(client, url, {"Digits": "1"}, "another-token")
    assert forged.status_code == 403
    assert client.post(url[len(PUBLIC_BASE_URL) :], data={"Digits": "1"}).status_code == 403
    # Signed for other parameters than those sent.
    good = twilio_post(client, url, {"Digits": "2"}, twilio.auth_token).request.headers
    tampered = client.post(
        url[len(PUBLIC_BASE_URL) :],
        data={"Digits": "1"},
        headers={"X-Twilio-Signature": good["X-Twilio-Signature"]},
    )
    assert tampered.status_code == 403
    # Signed for the internal address instead of the public one.
    internal = twilio_post(
        client,
        url,
        {"Digits": "1"},
        twilio.auth_token,
        signature=_sign(twilio, f"http://localhost{url[len(PUBLIC_BASE_URL) :]}"),
    )
    assert internal.status_code == 403
    assert db.session.query(CallbackRequest).one().state == "calling_business"


def test_without_an_auth_token_every_webhook_is_refused(app, client, twilio):
    app.config["TWILIO_AUTH_TOKEN"] = ""
    url = f"{PUBLIC_BASE_URL}/twilio/messages/1/status"
    assert twilio_post(client, url, {"MessageStatus": "delivered"}, "").status_code == 403


def _sign(twilio, url: str) -> str:
    from twilio.request_validator import RequestValidator

    return RequestValidator(twilio.auth_token).compute_signature(url, {"Digits": "1"})
