"""Forms of the admin pages: guild associations, partner cities, staff invitations."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    FloatField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from backend.console.forms import REQUIRED
from backend.console.i18n import LazyText as T

THEME_KEYS = ("background", "text", "primary", "on_primary")
NUMBER = T("Bitte eine Zahl eingeben, z. B. 25.", "Please enter a number, e.g. 25.")
WHEN = T("Bitte Datum und Uhrzeit angeben.", "Please give a date and a time.")


class NumberField(FloatField):
    """A number; a decimal comma is fine (51,8958), the error is German or English."""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            try:
                self.data = float(text.replace(",", "."))
            except ValueError as exc:
                raise ValueError(str(NUMBER)) from exc


class WhenField(DateTimeLocalField):
    """A local date and time (Europe/Berlin) from the browser's date-time picker."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(WHEN)) from exc


class GuildForm(FlaskForm):
    """A guild association's slug and name."""

    slug = StringField(T("Kürzel (in Adressen, z. B. harz-bode)", "Slug (in URLs, e.g. harz-bode)"),
                       validators=[InputRequired(REQUIRED), Length(max=64)])  # fmt: skip
    name = StringField(T("Name", "Name"), validators=[InputRequired(REQUIRED), Length(max=200)])


class ThemeFields:
    """The widget's colours: in the admins' city form and the city editors' widget settings."""

    background = StringField(T("Hintergrund (#rrggbb, leer: Standard)",
                               "Background (#rrggbb, empty: default)"),
                             validators=[Optional(), Length(max=7)])  # fmt: skip
    text = StringField(T("Schrift (#rrggbb)", "Text (#rrggbb)"),
                       validators=[Optional(), Length(max=7)])  # fmt: skip
    primary = StringField(T("Links und Schaltflächen (#rrggbb)", "Links and buttons (#rrggbb)"),
                          validators=[Optional(), Length(max=7)])  # fmt: skip
    on_primary = StringField(T("Schrift auf Schaltflächen (#rrggbb)", "Text on buttons (#rrggbb)"),
                             validators=[Optional(), Length(max=7)])  # fmt: skip

    def colours(self) -> dict[str, str]:
        """The colours given (empty fields keep the widget's defaults)."""
        values = {key: (getattr(self, key).data or "").strip() for key in THEME_KEYS}
        return {key: value for key, value in values.items() if value}


class CityForm(ThemeFields, FlaskForm):
    """A partner city: centre (postcode, town or coordinates), distances, origins, theme."""

    slug = StringField(T("Kürzel (z. B. wernigerode)", "Slug (e.g. wernigerode)"),
                       validators=[InputRequired(REQUIRED), Length(max=64)])  # fmt: skip
    name = StringField(T("Name", "Name"), validators=[InputRequired(REQUIRED), Length(max=200)])
    postcode = StringField(T("Mitte aus Postleitzahl", "Centre from postcode"),
                           validators=[Optional(), Length(max=5)])  # fmt: skip
    town = StringField(T("oder aus Ortsname", "or from town name"),
                       validators=[Optional(), Length(max=200)])  # fmt: skip
    lat = NumberField(T("oder Breite", "or latitude"), validators=[Optional()])
    lon = NumberField(T("und Länge", "and longitude"), validators=[Optional()])
    radius_km = NumberField(T("Standard-Suchradius (km)", "Default search radius (km)"),
                           default=25.0, validators=[InputRequired(NUMBER)])  # fmt: skip
    coverage_km = NumberField(
        T("Abdeckung für den Notdienstplan (km; leer: nach Ortsgröße 10/16/25)",
          "Duty plan coverage (km; empty: by town size 10/16/25)"),
        validators=[Optional()],
    )  # fmt: skip
    origins = TextAreaField(T("Portal-Adressen (eine je Zeile, z. B. https://www.wernigerode.de)",
                              "Portal origins (one per line, e.g. https://www.wernigerode.de)"),
                            validators=[Optional(), Length(max=4000)])  # fmt: skip
    active = BooleanField(T("Aktiv", "Active"), default=True)


class InviteForm(FlaskForm):
    """Invite a person by e-mail to a role (and its guild or city)."""

    email = EmailField(T("E-Mail-Adresse", "E-mail address"),
                       validators=[InputRequired(REQUIRED), Length(max=254)])  # fmt: skip
    name = StringField(T("Name", "Name"), validators=[InputRequired(REQUIRED), Length(max=200)])
    role = SelectField(T("Rolle", "Role"), choices=[
        SelectChoice("guild_staff", T("Innungsverband", "Guild staff")),
        SelectChoice("city_editor", T("Stadtredaktion", "City editor")),
        SelectChoice("admin", T("Administration", "Administrator")),
    ])  # fmt: skip
    guild = SelectField(T("Verband (für Innungsverband)", "Association (for guild staff)"),
                        choices=[], validate_choice=False)  # fmt: skip
    city = SelectField(T("Stadt (für Stadtredaktion)", "City (for city editors)"),
                       choices=[], validate_choice=False)  # fmt: skip


class GrantForm(FlaskForm):
    """Give another association's staff access to this association's data for a period."""

    grantee = SelectField(T("Verband, der Zugriff erhält", "Association receiving access"),
                          choices=[], validate_choice=False)  # fmt: skip
    starts_at = WhenField(T("Von", "From"), format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired(REQUIRED)])  # fmt: skip
    ends_at = WhenField(T("Bis", "Until"), format="%Y-%m-%dT%H:%M",
                                 validators=[InputRequired(REQUIRED)])  # fmt: skip
    note = StringField(T("Anlass (z. B. Urlaubsvertretung)", "Reason (e.g. holiday cover)"),
                       validators=[Optional(), Length(max=500)])  # fmt: skip
