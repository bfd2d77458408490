"""A partner city with a registered portal, businesses open around the clock, fresh limits."""

from __future__ import annotations

import pytest

from backend.extensions import db, limiter
from backend.organisations.operations import create_city
from tests import factories

PORTAL = "https://www.halberstadt.de"


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """Every test starts with no call events counted against its address (Redis).

    The limiter is one object per process: point it back at this app's storage first.
    """
    limiter.init_app(app)
    with app.app_context():
        limiter.reset()


@pytest.fixture
def city(app_context):
    """Halberstadt, framed by its portal only."""
    created = create_city(
        "halberstadt", "Halberstadt", 51.8958, 11.0467, allowed_origins=[PORTAL], actor="test"
    )
    db.session.commit()
    return created


@pytest.fixture
def businesses(city):
    """A guild master plumber nearby (24/7), a closed one, and an electrician (24/7)."""
    near = factories.business(
        name="Sanitär Nahbei", trades=("klempner",), lat=51.8962, lon=11.0472,
        phone="+493023125001", opening_hours="24/7", callout_price_eur=49,
        innungsbetrieb=True, meisterbetrieb=True,
    )  # fmt: skip
    closed = factories.business(
        name="Rohrdienst Zu", trades=("klempner",), lat=51.90, lon=11.06,
        phone="+493023125002", opening_hours="off",
    )  # fmt: skip
    electric = factories.business(
        name="Elektro Blitz", trades=("elektrotechniker",), lat=51.9048, lon=11.0467,
        phone="+493023125004", opening_hours="24/7", callout_price_eur=39.5,
    )  # fmt: skip
    return {"near": near, "closed": closed, "electric": electric}
