"""Schemas of the callback API (``/api/v1/callbacks``)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from backend.calls.models import CALL_CHANNELS
from backend.core.input_fields import StrictBoolean, id_field
from backend.messaging.models import CALLBACK_STATES


class CallbackIn(Schema):
    """A resident asks to be called back by one business."""

    business_id = id_field(required=True)
    phone = fields.String(
        required=True,
        validate=validate.Length(3, 32, error="A phone number has 3 to 32 characters."),
        metadata={
            "description": "German (+49) mobile or landline number",
            "example": "0151 1234567",
        },
    )
    consent = StrictBoolean(
        required=True,
        validate=validate.Equal(
            True, error="Consent is required: the number is passed on to the business."
        ),
        metadata={"description": "The resident agrees that the business gets the number"},
    )
    emergency = fields.String(
        load_default=None, validate=validate.Length(1, 64), metadata={"example": "wasser"}
    )
    channel = fields.String(
        load_default="api", validate=validate.OneOf(CALL_CHANNELS, error="Use one of {choices}.")
    )


class CallbackOut(Schema):
    """Where a callback request stands; ``message_de``/``message_en`` say it to the resident."""

    id = fields.String(required=True, metadata={"description": "Random id to ask again with"})
    state = fields.String(required=True, metadata={"enum": list(CALLBACK_STATES)})
    business_id = fields.Integer(required=True)
    emergency = fields.String(allow_none=True, required=True)
    business_notified_by_sms = fields.Boolean(
        required=True, metadata={"description": "Not answered: the number went to it by SMS"}
    )
    final = fields.Boolean(required=True, metadata={"description": "The state changes no more"})
    message_de = fields.String(required=True)
    message_en = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)
