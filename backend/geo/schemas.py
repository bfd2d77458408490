"""Schemas for place autocomplete, business details and call events."""

from marshmallow import Schema, fields, validate

from backend.calls.models import CALL_CHANNELS
from backend.core.input_fields import StrictBoolean, StrictInteger, id_field


class PlaceArgs(Schema):
    """Autocomplete query: postcode digits or the start of a town name."""

    q = fields.String(
        required=True,
        validate=validate.Length(1, 60, error="q must have 1 to 60 characters."),
        metadata={"example": "Quedl"},
    )
    limit = StrictInteger(
        load_default=8, validate=validate.Range(1, 20, error="limit must be between 1 and 20.")
    )


class PlaceOut(Schema):
    """A postcode or town with coordinates."""

    label = fields.String(required=True, metadata={"example": "06484 Quedlinburg"})
    name = fields.String(required=True)
    postcode = fields.String(allow_none=True, required=True)
    land = fields.String(required=True)
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    kind = fields.String(required=True, metadata={"enum": ["postcode", "place"]})


class CityOut(Schema):
    """A partner city and its centre (the resident app preselects it from ``/?stadt=<slug>``)."""

    slug = fields.String(required=True, metadata={"example": "quedlinburg"})
    name = fields.String(required=True, metadata={"example": "Quedlinburg"})
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)


class CallIn(Schema):
    """An anonymous call event: no phone number, no device or person identifier."""

    id = fields.UUID(required=True, metadata={"description": "Random id chosen by the client"})
    business_id = id_field(required=True)
    category = fields.String(
        load_default=None, validate=validate.Length(1, 64), metadata={"example": "wasser"}
    )
    channel = fields.String(
        load_default="app", validate=validate.OneOf(CALL_CHANNELS, error="Use one of {choices}.")
    )


class CallOutcomeIn(Schema):
    """The answer to "Haben Sie jemanden erreicht?"."""

    reached = StrictBoolean(required=True, metadata={"description": "true or false, nothing else"})
