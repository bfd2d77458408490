"""Helpers of the console's business tests: a business of a given guild, through the model."""

from __future__ import annotations

from backend.businesses.models import Business
from backend.extensions import db
from backend.organisations.models import GuildAssociation
from tests import factories


def make_business(guild: GuildAssociation, **fields) -> int:
    """A committed Halberstadt plumber of ``guild``; returns its (public) id."""
    values = {
        "ref": f"K-{db.session.query(Business).count() + 1:04d}",
        "name": "Sanitär Beispiel",
        "phone": "+4939411234567",
        "postcode": "38820",
        "city": "Halberstadt",
        "service_radius_km": 30.0,
        "opening_hours": "Mo-Fr 08:00-17:00; PH off",
        "lat": 51.8958,
        "lon": 11.0467,
        "land": "ST",
    }
    values.update(fields)
    business = Business(guild=guild, **values)
    business.set_trades([factories.trade("klempner")])
    db.session.add(business)
    db.session.commit()
    return business.id
