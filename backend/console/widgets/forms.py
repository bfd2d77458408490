"""Forms of the widget pages: the embed kit's preset (GET) and a city's widget settings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Length, Optional

from backend.console.admin_forms import ThemeFields
from backend.console.forms import REQUIRED
from backend.console.i18n import LazyText as T
from backend.widgets.preset import DEFAULT_LIMIT, MAX_LIMIT

LIMIT = T(f"Bitte eine ganze Zahl von 1 bis {MAX_LIMIT} angeben.",
          f"Please give a whole number from 1 to {MAX_LIMIT}.")  # fmt: skip


class LimitField(IntegerField):
    """A whole number from 1 to the widget's maximum; the error is German or English."""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            try:
                self.data = int(text)
            except ValueError as exc:
                raise ValueError(str(LIMIT)) from exc
            if not 1 <= self.data <= MAX_LIMIT:
                raise ValueError(str(LIMIT))


class KitForm(FlaskForm):
    """The preset of an embed; a GET form (it changes nothing, so it carries no CSRF token)."""

    class Meta:
        csrf = False

    # Not "lang": that argument chooses the console's own language.
    language = SelectField(T("Sprache des Widgets", "Language of the widget"),
                       choices=[SelectChoice("de", "Deutsch"), SelectChoice("en", "English")],
                           default="de")  # fmt: skip
    mode = RadioField(T("Das Widget beginnt mit", "The widget starts with"), default="chooser",
                      choices=[
                          SelectChoice("chooser", T("der Auswahl der Notfälle",
                                                    "the choice of emergencies")),
                          SelectChoice("fixed", T("einem festen Notfall", "one fixed emergency")),
                      ])  # fmt: skip
    emergency = SelectField(T("Fester Notfall", "Fixed emergency"), choices=[],
                            validators=[Optional()])  # fmt: skip
    categories = SelectMultipleField(T("Angezeigte Notfälle (keiner gewählt: alle)",
                                       "Emergencies shown (none chosen: all)"),
                                     choices=[], validators=[Optional()])  # fmt: skip
    place = StringField(T("Ort oder Postleitzahl der Suche (leer: Mitte der Stadt)",
                          "Place or postcode searched (empty: the town centre)"),
                        validators=[Optional(), Length(max=100)])  # fmt: skip
    limit = LimitField(
        T("Höchstens so viele Betriebe", "At most this many businesses"),
        default=DEFAULT_LIMIT,
        validators=[InputRequired(LIMIT)],
    )

    def preset_args(self) -> dict[str, str]:
        """The preset as widget query arguments (read by ``parse_preset``, like the widget)."""
        fixed = self.mode.data == "fixed"
        args = {"lang": self.language.data, "limit": str(self.limit.data),
                "place": (self.place.data or "").strip()}  # fmt: skip
        if fixed:
            args.update(emergency=self.emergency.data or "", fixed="1")
        else:
            args["categories"] = ",".join(self.categories.data or [])
        return {key: value for key, value in args.items() if value}


class OriginForm(FlaskForm):
    """One portal origin to register or remove."""

    origin = StringField(T("Adresse des Portals (z. B. https://www.halberstadt.de)",
                           "Address of the portal (e.g. https://www.halberstadt.de)"),
                         validators=[InputRequired(REQUIRED), Length(max=300)])  # fmt: skip


class ThemeForm(ThemeFields, FlaskForm):
    """The widget's colours of one city (contrast checked when saved)."""
