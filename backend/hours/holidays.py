"""Public holidays of the German Länder, as used for ``PH`` in opening hours.

A business keeps the holidays of its own Land (Sachsen-Anhalt: 6 January and
31 October; Niedersachsen: 31 October only). Dates come from the ``holidays``
package, category "public" only, which means holidays that apply in the whole
Land. Holidays that apply only in part of a Land are therefore *not* included:

- Mariä Himmelfahrt (15 August) in Bayern: only in predominantly Catholic
  municipalities, so the package files it under the "catholic" category;
  it is a Land-wide holiday only in the Saarland, where it is included.
- Augsburger Hohes Friedensfest (8 August): only the city of Augsburg, which the
  package models as its own subdivision "Augsburg", not as a Land.
- Fronleichnam in Sachsen and Thüringen: only in some municipalities
  (Sorbian Catholic areas, Eichsfeld), "catholic" category there. It is included
  in BW, BY, HE, NW, RP and SL, where it is Land-wide.

A business in such a municipality that closes on those days is shown open there.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

LANDS: dict[str, str] = {
    "BB": "Brandenburg",
    "BE": "Berlin",
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "HB": "Bremen",
    "HE": "Hessen",
    "HH": "Hamburg",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SH": "Schleswig-Holstein",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "TH": "Thüringen",
}


class UnknownLandError(ValueError):
    """A Land code that is not one of the 16 ISO 3166-2:DE codes (English and German text)."""

    def __init__(self, land: object) -> None:
        codes = ", ".join(LANDS)
        self.message = f"Unknown German Land {land!r}; expected one of {codes}"
        self.message_de = f"Unbekanntes Bundesland {land!r}; erlaubt sind {codes}"
        super().__init__(self.message)


def normalize_land(land: str) -> str:
    """Return the two-letter code for ``land`` ('st', 'DE-ST' -> 'ST') or raise UnknownLandError."""
    if not isinstance(land, str):
        raise UnknownLandError(land)
    code = land.strip().upper().removeprefix("DE-")
    if code not in LANDS:
        raise UnknownLandError(land)
    return code


@lru_cache(maxsize=512)
def public_holidays(land: str, year: int) -> frozenset[date]:
    """The Land-wide public holidays of ``land`` in ``year`` (cached per argument pair)."""
    code = normalize_land(land)
    return frozenset(holidays.Germany(subdiv=code, years=year, categories=("public",)))


def is_public_holiday(land: str, day: date) -> bool:
    """True when ``day`` is a Land-wide public holiday in ``land``."""
    return day in public_holidays(land, day.year)
