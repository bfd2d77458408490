"""Input and output schemas of the search endpoint, reused by the OpenAPI document."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.calls.models import SEARCH_CHANNELS
from backend.core.input_fields import FullMatch, StrictFloat, StrictInteger
from backend.reference.schemas import SafetyAdviceOut

# ASCII digits and nothing else: `\d` also matches other scripts' digits, `$` a final "\n".
POSTCODE = FullMatch(
    r"^[0-9]{5}$", error="A postcode has exactly five digits 0-9 and nothing else, e.g. 38820."
)
# `at` further than this from now is refused (config SEARCH_AT_MAX_DAYS): the hours and
# rosters say nothing about year 9999, and such dates overflow the look-ahead arithmetic.
DEFAULT_AT_MAX_DAYS = 366
# radius_km is above 0; the smallest value the document states and the server accepts.
MIN_RADIUS_KM = 0.1


def _limit_field(default: int, most: int) -> fields.Integer:
    return StrictInteger(
        load_default=default,
        validate=validate.Range(1, most, error=f"limit must be between 1 and {most}."),
        metadata={"description": f"How many businesses at most (default {default})"},
    )


def _radius_field(reach: float) -> fields.Float:
    return StrictFloat(
        validate=validate.Range(
            MIN_RADIUS_KM,
            reach,
            error=f"radius_km must be at least {MIN_RADIUS_KM:g} and at most {reach:g}.",
        ),
        metadata={"description": "Optional extra cap on the distance in km"},
    )


class _WithinDays(validate.Validator):
    """An aware datetime at most ``days`` days before or after the moment of the request."""

    def __init__(self, days: int) -> None:
        self.days = days

    def __call__(self, value: datetime) -> datetime:
        now = datetime.now(UTC)
        try:
            inside = abs(value.astimezone(UTC) - now) <= timedelta(days=self.days)
        except OverflowError:  # year 1 with a positive offset is before datetime.min
            inside = False
        if not inside:
            raise validate.ValidationError(
                f"at must lie within {self.days} days of now (the hours say nothing further)."
            )
        return value


def _at_field(days: int) -> fields.AwareDateTime:
    return fields.AwareDateTime(
        format="iso",
        validate=_WithinDays(days),
        error_messages={
            "invalid": "Not an ISO 8601 date-time, e.g. 2026-12-24T23:40:00+01:00.",
            "invalid_awareness": "The time needs a UTC offset, e.g. 2026-12-24T23:40:00+01:00.",
        },
        metadata={
            "description": "Point in time (ISO 8601 with offset), used as given; "
            "default: the current minute (seconds dropped). "
            f"At most {days} days before or after now, else 422."
        },
    )


class SearchArgs(Schema):
    """Where, what and when to search. Give exactly one location and one of emergency/trade."""

    lat = StrictFloat(
        validate=validate.Range(-90, 90, error="Latitude must be between -90 and 90."),
        metadata={"description": "WGS-84 latitude (with lon)", "example": 51.8958},
    )
    lon = StrictFloat(
        validate=validate.Range(-180, 180, error="Longitude must be between -180 and 180."),
        metadata={"description": "WGS-84 longitude (with lat)", "example": 11.0467},
    )
    postcode = fields.String(validate=POSTCODE, metadata={"example": "38820"})
    place = fields.String(
        validate=validate.Length(2, 100, error="A place name has 2 to 100 characters."),
        metadata={"description": "Town name; ambiguous names give 422 with candidates"},
    )
    emergency = fields.String(
        validate=validate.Length(1, 64),
        metadata={"description": "Emergency slug", "example": "wasser"},
    )
    trade = fields.String(
        validate=validate.Length(1, 64),
        metadata={"description": "Trade slug", "example": "klempner"},
    )
    at = _at_field(DEFAULT_AT_MAX_DAYS)
    available = fields.String(
        load_default="now",
        validate=validate.OneOf(["now", "any"], error="Use 'now' or 'any'."),
        metadata={"description": "now: only businesses available at `at`; any: all, with state"},
    )
    limit = _limit_field(10, 50)
    radius_km = _radius_field(150.0)
    # No load default: a request without it is the API's ("api"), the view says so.
    channel = fields.String(
        validate=validate.OneOf(SEARCH_CHANNELS, error="Use one of {choices}."),
        metadata={
            "description": "Who asks, for the anonymous statistics only (the answer is the "
            "same): app (the resident app), widget, api (default), callback",
            "enum": list(SEARCH_CHANNELS),
        },
    )

    @classmethod
    def configured(cls, config: Mapping[str, Any]) -> type[SearchArgs]:
        """This schema with the limits the server enforces (and its OpenAPI document states).

        ``SEARCH_DEFAULT_LIMIT``, ``SEARCH_MAX_LIMIT``, ``MAX_SERVICE_RADIUS_KM`` and
        ``SEARCH_AT_MAX_DAYS`` come from the configuration; the class attributes above are
        the defaults of ``config/default.toml``.
        """
        default, most = int(config["SEARCH_DEFAULT_LIMIT"]), int(config["SEARCH_MAX_LIMIT"])
        reach = float(config["MAX_SERVICE_RADIUS_KM"])
        fields_ = {
            "limit": _limit_field(default, most),
            "radius_km": _radius_field(reach),
            "at": _at_field(int(config.get("SEARCH_AT_MAX_DAYS", DEFAULT_AT_MAX_DAYS))),
        }
        return type("SearchArgs", (cls,), fields_)

    @validates_schema
    def _one_location_one_subject(self, data: dict, **_kwargs) -> None:
        if ("lat" in data) != ("lon" in data):
            missing = "lon" if "lat" in data else "lat"
            raise ValidationError("lat and lon must be given together.", missing)
        locations = [k for k in ("lat", "lon", "postcode", "place") if k in data]
        if len(locations) not in (1, 2) or (len(locations) == 2 and "lat" not in locations):
            message = "Give exactly one location: lat and lon, postcode, or place."
            raise ValidationError({name: [message] for name in locations or ["postcode"]})
        subjects = [k for k in ("emergency", "trade") if k in data]
        if len(subjects) != 1:
            message = "Give exactly one of emergency or trade."
            raise ValidationError({name: [message] for name in subjects or ["emergency"]})


class AddressOut(Schema):
    """Postal address of a business."""

    street = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    land = fields.String(metadata={"description": "ISO 3166-2:DE subdivision, e.g. ST"})


class BusinessOut(Schema):
    """A business as listed to residents."""

    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    name = fields.String(required=True)
    trades = fields.List(fields.String(), required=True, metadata={"description": "Trade slugs"})
    phone_e164 = fields.String(required=True, metadata={"example": "+4939411234567"})
    phone_display = fields.String(required=True, metadata={"example": "03941 1234567"})
    accepts_new_customers = fields.Boolean(required=True)
    callout_price_eur = fields.Float(allow_none=True, required=True)
    innungsbetrieb = fields.Boolean(required=True)
    meisterbetrieb = fields.Boolean(required=True)
    verified_at = fields.AwareDateTime(allow_none=True, required=True)
    address = fields.Nested(AddressOut, required=True)
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    website = fields.String(allow_none=True)
    opening_hours = fields.String(allow_none=True)
    emergency_hours = fields.String(allow_none=True)


class SearchResultOut(BusinessOut):
    """A business found by a search, with distance and availability at the asked time."""

    duty_confirmed = fields.Boolean(
        required=True,
        metadata={
            "description": "On duty through a shift the business confirmed (answered JA, or "
            'put itself on duty by SMS): show "Notdienst bestätigt"'
        },
    )

    distance_km = fields.Float(required=True, metadata={"description": "Great-circle, 2 decimals"})
    available = fields.Boolean(required=True)
    available_until = fields.AwareDateTime(
        allow_none=True,
        required=True,
        metadata={"description": "null when available beyond the look-ahead (e.g. 24/7)"},
    )
    next_available = fields.AwareDateTime(allow_none=True, required=True)
    on_duty = fields.Boolean(required=True, metadata={"description": "Covered by a roster shift"})


class LocationOut(Schema):
    """Where the search was centred and how that was determined."""

    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    resolved_by = fields.String(
        required=True, metadata={"enum": ["coordinates", "postcode", "place"]}
    )
    label = fields.String(allow_none=True, required=True)
    postcode = fields.String(allow_none=True, required=True)
    land = fields.String(allow_none=True, required=True)


class SearchOut(Schema):
    """The answer of a search."""

    location = fields.Nested(LocationOut, required=True)
    at = fields.AwareDateTime(required=True)
    emergency = fields.String(allow_none=True, required=True)
    trades = fields.List(fields.String(), required=True)
    safety = fields.Nested(SafetyAdviceOut, allow_none=True, required=True)
    count = fields.Integer(required=True)
    results = fields.List(fields.Nested(SearchResultOut), required=True)
