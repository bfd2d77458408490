"""Every model of the application, imported once so that Alembic and the app see one metadata.

Code imports models from their own packages; this module only registers them all.
"""

from backend.audit.models import AuditFieldChange, AuditLogEntry
from backend.businesses.models import Business, BusinessTrade, VerificationPolicy
from backend.calls.models import CallEvent
from backend.messaging.models import CallbackRequest, DutyNotice, InboundSms, OutboundMessage
from backend.organisations.models import (
    GuildAssociation,
    PartnerCity,
    ServiceGrant,
    StaffSession,
    StaffUser,
)
from backend.reference.models import EmergencyCategory, Trade
from backend.roster.models import (
    CalendarToken,
    RosterPublication,
    RosterShift,
    RosterSwap,
    UnansweredSearch,
)
from backend.search.data_version import SearchChange, SearchDataVersion

__all__ = [
    "AuditFieldChange",
    "AuditLogEntry",
    "Business",
    "BusinessTrade",
    "CalendarToken",
    "CallEvent",
    "CallbackRequest",
    "DutyNotice",
    "EmergencyCategory",
    "GuildAssociation",
    "InboundSms",
    "OutboundMessage",
    "PartnerCity",
    "RosterPublication",
    "RosterShift",
    "RosterSwap",
    "SearchChange",
    "SearchDataVersion",
    "ServiceGrant",
    "StaffSession",
    "StaffUser",
    "Trade",
    "UnansweredSearch",
    "VerificationPolicy",
]
