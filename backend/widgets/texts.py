"""The widget's words: the app's own strings (pwa/i18n) plus a few of the widget's.

Safety advice, availability and badges read exactly as in the app because they are the
app's strings; the widget adds only what the app does not say.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from flask import current_app

LANGUAGES = ("de", "en")
WEEKDAYS = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

WIDGET_TEXTS = {
    "de": {
        "title": "Handwerker-Notdienst {city}",
        "intro": "Geprüfte Betriebe der Kreishandwerkerschaft, die jetzt helfen können.",
        "near": "Betriebe nahe {place}",
        "count_now": "{count} Betriebe jetzt erreichbar. Die nächsten stehen oben.",
        "count_any": "{count} Betriebe gefunden. Jetzt erreichbare stehen oben.",
        "show_all": "Alle Betriebe zeigen, auch später erreichbare",
        "show_now": "Nur jetzt erreichbare zeigen",
        "place_hint": "Zum Beispiel 38820 oder Halberstadt",
        "which_place": "Meinten Sie:",
        "not_found_place": "Diesen Ort kennen wir nicht. Bitte prüfen Sie die Eingabe.",
        "not_found_postcode": "Diese Postleitzahl kennen wir nicht. Bitte prüfen Sie die Eingabe.",
        "unknown": "Diesen Notfall kennen wir nicht. Bitte wählen Sie aus der Liste.",
        "unknown_city": "Diesen Handwerker-Notdienst gibt es nicht (mehr).",
        "too_many_searches": "Von Ihrem Anschluss kamen gerade sehr viele Suchen. Bitte "
        "versuchen Sie es in einer Minute erneut. Bei Gefahr für Leib und Leben: 112.",
        "accessibility": "Barrierefreiheit",
        "new_window": "(öffnet ein neues Fenster)",
        "powered": "Handwerker-Schnellruf",
        "trades": "Gewerke",
    },
    "en": {
        "title": "Emergency tradespeople {city}",
        "intro": "Guild-checked businesses that can help right now.",
        "near": "Businesses near {place}",
        "count_now": "{count} businesses available now. The nearest are at the top.",
        "count_any": "{count} businesses found. Those available now are at the top.",
        "show_all": "Show all businesses, also those available later",
        "show_now": "Only show businesses available now",
        "place_hint": "For example 38820 or Halberstadt",
        "which_place": "Did you mean:",
        "not_found_place": "We do not know this place. Please check what you typed.",
        "not_found_postcode": "We do not know this postcode. Please check what you typed.",
        "unknown": "We do not know this emergency. Please choose one from the list.",
        "unknown_city": "This emergency service does not exist (any more).",
        "too_many_searches": "Very many searches came from your connection just now. Please "
        "try again in a minute. If life or health is in danger: 112.",
        "accessibility": "Accessibility",
        "new_window": "(opens a new window)",
        "powered": "Handwerker-Schnellruf",
        "trades": "Trades",
    },
}


def texts(lang: str) -> dict[str, str]:
    """The app's strings for ``lang`` with the widget's own on top (read once per app)."""
    cache = current_app.extensions.setdefault("widget_texts", {})
    if lang not in cache:
        asset = current_app.extensions["web_assets"].get(f"i18n/{lang}.json")
        shared = json.loads(asset.body) if asset is not None else {}
        cache[lang] = {**shared, **WIDGET_TEXTS[lang]}
    return cache[lang]


def fill(template: str, **values: object) -> str:
    """``"{count} Betriebe"`` with the values put in (the app's placeholder style)."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def format_when(value: datetime, now: datetime, lang: str) -> str:
    """``22:00`` today, ``Mo 07:00`` within six days, ``24.12. 07:00`` later (as the app)."""
    clock = value.strftime("%H:%M")
    if value.date() == now.date():
        return clock
    if abs(value - now) < timedelta(days=6):
        return f"{WEEKDAYS[lang][value.weekday()]} {clock}"
    day = f"{value.day}.{value.month}." if lang == "de" else f"{value.day}/{value.month}"
    return f"{day} {clock}"


def format_distance(km: float, lang: str) -> str:
    """``0,1 km`` (German) or ``0.1 km``; whole kilometres from 10 km on."""
    text = f"{km:.1f}" if km < 10 else f"{km:.0f}"
    return (text.replace(".", ",") if lang == "de" else text) + " km"


def format_price(eur: float, lang: str) -> str:
    """``49 €`` / ``49,50 €`` (German) or ``€49`` / ``€49.50``."""
    text = f"{eur:.0f}" if float(eur).is_integer() else f"{eur:.2f}"
    return f"{text.replace('.', ',')} €" if lang == "de" else f"€{text}"
