"""All models, imported here so that Alembic and the app see one metadata."""

from backend.models.activity import CALL_CHANNELS, AuditLogEntry, CallEvent
from backend.models.business import Business, BusinessTrade, RosterShift
from backend.models.data_version import SearchDataVersion
from backend.models.organisation import STAFF_ROLES, GuildAssociation, PartnerCity, StaffUser
from backend.models.reference import EmergencyCategory, Trade, emergency_trades

__all__ = [
    "CALL_CHANNELS",
    "STAFF_ROLES",
    "AuditLogEntry",
    "Business",
    "BusinessTrade",
    "CallEvent",
    "EmergencyCategory",
    "GuildAssociation",
    "PartnerCity",
    "RosterShift",
    "SearchDataVersion",
    "StaffUser",
    "Trade",
    "emergency_trades",
]
