"""Schemas for trades and emergency categories."""

from marshmallow import Schema, fields


class TradeOut(Schema):
    """A trade (Gewerk)."""

    slug = fields.String(required=True, metadata={"example": "klempner"})
    name_de = fields.String(required=True, metadata={"example": "Klempner"})
    name_en = fields.String(required=True, metadata={"example": "Plumber"})


class SafetyAdviceOut(Schema):
    """What to do before (or instead of) calling a tradesperson."""

    level = fields.String(
        required=True,
        metadata={"enum": ["safety_first", "advice_only"], "description": "advice_only: no trades"},
    )
    advice_de = fields.String(required=True)
    advice_en = fields.String(required=True)
    call_first = fields.String(required=True, metadata={"example": "112"})


class EmergencyOut(Schema):
    """An emergency category as shown on the start screen."""

    slug = fields.String(required=True, metadata={"example": "wasser"})
    label_de = fields.String(required=True)
    label_en = fields.String(required=True)
    icon = fields.String(required=True)
    trades = fields.Pluck(TradeOut, "slug", many=True, required=True)
    safety = fields.Nested(SafetyAdviceOut, allow_none=True, required=True)


class HealthOut(Schema):
    """Liveness answer."""

    status = fields.String(required=True, metadata={"example": "ok"})
    search_index = fields.String(
        required=True,
        metadata={
            "description": "This process's in-memory search index: ready, building, none "
            "(built when first needed) or off; searches are answered either way",
            "enum": ["ready", "building", "none", "off"],
        },
    )
