"""Phone numbers: stored in E.164 (``+49394112345``), shown in the national format.

Guild staff type numbers the German way ("03941 12345", "0171 1234567", "(03941) 12345",
"+49 (0)3941 12345"); the ``phonenumbers`` package understands all of them.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

__all__ = [
    "PhoneNumberError",
    "business_phone",
    "format_national",
    "is_mobile",
    "normalise_phone",
]

DEFAULT_REGION = "DE"
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
# Numbers that cost the caller extra (0900, 0137, 0180, 0700): a resident in an emergency
# must not be led to them, unless the guild vouches for such a number.
_PREMIUM_TYPES = frozenset(
    {PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.PERSONAL_NUMBER}
)


class PhoneNumberError(ValueError):
    """A value that is not a usable phone number, explained in English and German."""

    def __init__(self, message: str, message_de: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_de = message_de


def _parse(raw: str, region: str) -> tuple[phonenumbers.PhoneNumber, int]:
    """The parsed number and its type; raises for anything that is not a valid number."""
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException as exc:
        raise PhoneNumberError(
            f"'{raw}' is not a phone number",
            f"„{raw}“ ist keine Telefonnummer",
        ) from exc
    # number_type() is UNKNOWN exactly when is_valid_number() is False; one call, not two.
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        raise PhoneNumberError(
            f"'{raw}' is not a valid phone number (too short, too long or unknown area code; "
            "write it with the area code, e.g. 03941 12345)",
            f"„{raw}“ ist keine gültige Telefonnummer (zu kurz, zu lang oder unbekannte "
            "Vorwahl; bitte mit Vorwahl angeben, z. B. 03941 12345)",
        )
    return number, kind


# Cached: an import sees the same numbers (a guild's switchboard, re-imports) many times.
@lru_cache(maxsize=65536)
def normalise_phone(raw: str, *, mobile: bool = False, region: str = DEFAULT_REGION) -> str:
    """Return ``raw`` in E.164, or raise :class:`PhoneNumberError`.

    National numbers are read as German unless ``region`` says otherwise. With ``mobile`` the
    number must be one that can receive SMS (German mobile numbers start with 015, 016, 017).
    """
    number, kind = _parse(raw.strip(), region)
    if mobile and kind not in _MOBILE_TYPES:
        raise PhoneNumberError(
            f"'{raw}' is not a mobile number (German mobile numbers start with 015, 016 or 017)",
            f"„{raw}“ ist keine Mobilfunknummer (deutsche Mobilnummern beginnen mit 015, 016 "
            "oder 017)",
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """Whether a stored number can receive SMS."""
    return _parse(e164, DEFAULT_REGION)[1] in _MOBILE_TYPES


@lru_cache(maxsize=65536)  # called for every listing a search returns
def format_national(e164: str, *, region: str = DEFAULT_REGION) -> str:
    """Display form: ``03941 12345`` for German numbers, ``+43 1 234567`` for foreign ones."""
    number, _ = _parse(e164, region)
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


@lru_cache(maxsize=65536)
def business_phone(
    raw: str, *, mobile: bool = False, allow_premium: bool = False, allow_foreign: bool = False
) -> str:
    """A business's number in E.164, by the rules residents are protected by.

    Refused unless the guild allows them: premium-rate and shared-cost numbers (0900,
    0137, 0180, 0700) and numbers outside Germany. Always refused: a number with an
    extension ("ext. 12"), which a tap on "Anrufen" cannot dial; storing the number
    without it would call someone else (the switchboard).
    """
    number, kind = _parse(raw.strip(), DEFAULT_REGION)
    if number.extension:
        raise PhoneNumberError(
            f"'{raw}' has an extension ({number.extension}): give the number that reaches "
            "the business directly",
            f"„{raw}“ enthält eine Durchwahl-Erweiterung ({number.extension}): bitte die "
            "Nummer angeben, unter der der Betrieb direkt erreichbar ist",
        )
    if not allow_foreign and phonenumbers.region_code_for_number(number) != DEFAULT_REGION:
        raise PhoneNumberError(
            f"'{raw}' is not a German number (the guild does not allow foreign numbers)",
            f"„{raw}“ ist keine deutsche Nummer (die Innung lässt keine ausländischen zu)",
        )
    if not allow_premium and kind in _PREMIUM_TYPES:
        raise PhoneNumberError(
            f"'{raw}' is a premium-rate or shared-cost number (0900, 0137, 0180, 0700), "
            "which the guild does not allow",
            f"„{raw}“ ist eine kostenpflichtige Sondernummer (0900, 0137, 0180, 0700), "
            "die die Innung nicht zulässt",
        )
    return normalise_phone(raw, mobile=mobile)
