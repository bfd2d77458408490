"""Forms of the duty plan pages: a shift, a template, a proposal taken over, publishing.

Times are Berlin wall-clock times from the browser's date-time picker; every message
is German or English, shown next to its field.
"""

from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice, SelectField, ValidationError
from wtforms.validators import InputRequired

from backend.console.admin_forms import WhenField
from backend.console.forms import REQUIRED
from backend.console.i18n import LazyText as T
from backend.hours import BERLIN
from backend.hours.holidays import LANDS
from backend.roster.planning import TEMPLATES

DAY = T("Bitte ein Datum angeben.", "Please give a date.")
CHOOSE = T("Bitte einen Betrieb mit Gewerk wählen.", "Please choose a business and trade.")
TEMPLATE_NAMES = {
    "weekends": T("Jedes Wochenende (Fr 18:00 – Mo 07:00)",
                  "Every weekend (Fri 18:00 – Mon 07:00)"),
    "holidays": T("Feiertage des Landes (Vorabend 18:00 – Folgetag 07:00)",
                  "Public holidays of the Land (eve 18:00 – next day 07:00)"),
    "nights": T("Nächte Mo–Do (18:00 – 07:00)", "Nights Mon–Thu (18:00 – 07:00)"),
}  # fmt: skip


class GermanDateField(DateField):
    """A date; a missing or unreadable one gets the console's message."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(DAY)) from exc


def berlin(value: datetime) -> datetime:
    """A naive wall-clock time from a form as a Berlin time."""
    return value.replace(tzinfo=BERLIN)


def pick(value: str) -> tuple[int, str] | None:
    """``"12|klempner"`` (business id and trade of a choice) as a pair, or None."""
    business_id, _, trade = (value or "").partition("|")
    return (int(business_id), trade) if business_id.isdigit() and trade else None


class ChoiceField(SelectField):
    """A choice of a list; a value not in it gets the console's message (not WTForms')."""

    def pre_validate(self, form) -> None:
        if self.data not in {c.value for c in self.choices or ()}:
            raise ValidationError(str(T("Bitte einen der Einträge wählen.",
                                        "Please choose one of the entries.")))  # fmt: skip


class PickField(SelectField):
    """A business with one of its trades, posted as ``id|trade``."""

    def pre_validate(self, form) -> None:
        if pick(self.data) is None or self.data not in {c.value for c in self.choices or ()}:
            raise ValidationError(str(CHOOSE))


class SpanForm(FlaskForm):
    """Start and end of a shift; the end must come after the start."""

    start = WhenField(T("Beginn", "Start"), format="%Y-%m-%dT%H:%M",
                      validators=[InputRequired(REQUIRED)])  # fmt: skip
    end = WhenField(T("Ende", "End"), format="%Y-%m-%dT%H:%M",
                    validators=[InputRequired(REQUIRED)])  # fmt: skip

    def validate_end(self, field) -> None:
        """Refuse an end before (or at) the start, next to the end field."""
        if self.start.data and field.data and berlin(field.data) <= berlin(self.start.data):
            raise ValidationError(str(T("Das Ende muss nach dem Beginn liegen.",
                                        "The end must come after the start.")))  # fmt: skip


class ShiftForm(SpanForm):
    """A new shift: who (business and trade) and when."""

    who = PickField(T("Betrieb und Gewerk", "Business and trade"), choices=[],
                    validators=[InputRequired(REQUIRED)])  # fmt: skip


class TemplateForm(FlaskForm):
    """A template applied to one business and trade for a period."""

    who = PickField(T("Betrieb und Gewerk", "Business and trade"), choices=[],
                    validators=[InputRequired(REQUIRED)])  # fmt: skip
    template = ChoiceField(
        T("Vorlage", "Template"),
        validators=[InputRequired(REQUIRED)],
        choices=[SelectChoice(name, TEMPLATE_NAMES[name]) for name in TEMPLATES],
    )
    first_day = GermanDateField(T("Erster Tag", "First day"), validators=[InputRequired(DAY)])
    last_day = GermanDateField(T("Letzter Tag", "Last day"), validators=[InputRequired(DAY)])
    land = ChoiceField(T("Feiertage des Landes", "Public holidays of the Land"), default="ST",
                       choices=[SelectChoice(code, name) for code, name in
                                sorted(LANDS.items(), key=lambda item: item[1])])  # fmt: skip

    def validate_last_day(self, field) -> None:
        """The last day may not come before the first."""
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(
                str(T("Der letzte Tag darf nicht vor dem ersten liegen.",
                      "The last day may not come before the first."))
            )  # fmt: skip


class TakeForm(FlaskForm):
    """A proposal (or another business) taken over for an uncovered span."""

    who = HiddenField()
    start = HiddenField()
    end = HiddenField()
    city = HiddenField()
    emergency = HiddenField()


class PublishForm(FlaskForm):
    """Publishing a period (the days travel in the page's address)."""
