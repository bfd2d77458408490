"""The business form's fields: the import's columns with labels, input types and hints.

The form posts cells named exactly like the CSV import's columns, so the operations check
them with the import's rules and the errors name the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from backend.audit.operations import Actor
from backend.businesses.models import Business
from backend.console.access import require_guild
from backend.extensions import db


@dataclass(frozen=True, slots=True)
class Field:
    """One input of the business form."""

    name: str
    de: str
    en: str
    kind: str = "text"  # text | tel | email | url | number | checkbox | textarea
    hint_de: str = ""
    hint_en: str = ""
    autocomplete: str = ""


# In groups, as the edit page shows them.
GROUPS: tuple[tuple[str, str, tuple[Field, ...]], ...] = (
    ("Betrieb", "Business", (
        Field("ref", "Kennung (ref)", "Reference (ref)",
              hint_de="Eindeutig in der Innung, wie in der CSV-Datei.",
              hint_en="Unique within the guild, as in the CSV file."),
        Field("name", "Name", "Name", autocomplete="organization"),
        Field("trades", "Gewerke", "Trades",
              hint_de="Kürzel durch ; getrennt, z. B. klempner;glaser",
              hint_en="Slugs separated by ;, e.g. klempner;glaser"),
        Field("innungsbetrieb", "Innungsbetrieb", "Guild member", "checkbox"),
        Field("meisterbetrieb", "Meisterbetrieb", "Master craftsman's business", "checkbox"),
        Field("accepts_new_customers", "Nimmt neue Kunden an", "Accepts new customers",
              "checkbox"),
        Field("callout_price_eur", "Anfahrtspreis (Euro)", "Call-out price (euros)",
              hint_de="z. B. 89,50", hint_en="e.g. 89.50"),
    )),
    ("Adresse und Position", "Address and position", (
        Field("street", "Straße und Hausnummer", "Street and number",
              autocomplete="address-line1"),
        Field("postcode", "Postleitzahl", "Postcode", autocomplete="postal-code"),
        Field("city", "Ort", "Town", autocomplete="address-level2"),
        Field("lat", "Breitengrad", "Latitude",
              hint_de="Leer lassen: wird aus der Adresse bestimmt. Von Hand korrigierbar.",
              hint_en="Leave empty to find it from the address. May be corrected by hand."),
        Field("lon", "Längengrad", "Longitude"),
        Field("service_radius_km", "Einsatzradius (km)", "Service radius (km)"),
    )),
    ("Erreichbarkeit", "Contact", (
        Field("phone", "Telefon", "Phone", "tel", autocomplete="tel"),
        Field("emergency_phone", "Notdienst-Telefon", "Emergency phone", "tel"),
        Field("mobile", "Mobiltelefon", "Mobile phone", "tel",
              hint_de="Für SMS: 015x, 016x oder 017x.", hint_en="For SMS: 015x, 016x or 017x."),
        Field("email", "E-Mail", "E-mail", "email", autocomplete="email"),
        Field("website", "Website", "Website", "url", autocomplete="url"),
    )),
    ("Zeiten", "Hours", (
        Field("opening_hours", "Öffnungszeiten", "Opening hours", "textarea",
              hint_de="OpenStreetMap-Syntax, z. B. Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off",
              hint_en="OpenStreetMap syntax, e.g. Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off"),
        Field("emergency_hours", "Notdienstzeiten", "Emergency hours", "textarea",
              hint_de="z. B. 24/7 oder Sa,Su 00:00-24:00",
              hint_en="e.g. 24/7 or Sa,Su 00:00-24:00"),
    )),
)  # fmt: skip
FIELDS = {field.name: field for _, _, fields in GROUPS for field in fields}
CHECKBOXES = tuple(name for name, field in FIELDS.items() if field.kind == "checkbox")


def posted_cells(form) -> dict[str, str]:
    """The form's cells as the import reads them (checkboxes: ``ja``/``nein``)."""
    cells = {name: form.get(name, "") for name in FIELDS}
    for name in CHECKBOXES:
        cells[name] = "ja" if form.get(name) else "nein"
    return cells


def actor_for(guild_id: int, grant) -> Actor:
    """The signed-in person as the audit log names them, with the grant they act under."""
    return Actor(current_user.email, staff_id=current_user.id, grant_id=grant.id if grant else None)


def business_or_404(business_id: int, *, write: bool) -> tuple[Business, object]:
    """The business and the grant the access rests on; 404 if unknown, 403 if not allowed."""
    business = db.session.get(Business, business_id)
    if business is None:
        abort(404)
    grant = require_guild(business.guild_id, write=write)
    return business, grant
