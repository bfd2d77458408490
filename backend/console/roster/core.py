"""The duty plan's console blueprint and what its pages share: the guild, the actor."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from backend.audit.operations import Actor
from backend.businesses.models import Business
from backend.console.access import require_guild
from backend.console.blueprint import console_blueprint
from backend.console.i18n import tr
from backend.extensions import db
from backend.organisations.models import ServiceGrant
from backend.roster.models import RosterShift
from backend.roster.planning import PlanningError

# Serves /console/roster/static/roster.css.
bp = console_blueprint("console_roster", __name__, url_prefix="/roster", static_folder="static")
EDITORS = ("admin", "guild_staff")


def actor_for(grant: ServiceGrant | None) -> Actor:
    """The signed-in person as the audit log's actor, with the grant the change rests on."""
    return Actor(current_user.email, current_user.id, grant.id if grant else None)


def message(error: PlanningError) -> str:
    """The operation's reason in the page's language."""
    return tr(error.de, error.en)


def guild_business(business_id: int | None, guild_id: int) -> Business | None:
    """A business of the guild by id, or None (another guild's id is not found)."""
    if business_id is None:
        return None
    return db.session.scalar(
        select(Business).where(Business.id == business_id, Business.guild_id == guild_id)
    )


def shift_or_404(shift_id: int, *, write: bool = True) -> tuple[RosterShift, ServiceGrant | None]:
    """The shift and the grant its guild's data is changed under (404 / 403 otherwise)."""
    shift = db.session.get(RosterShift, shift_id)
    if shift is None:
        abort(404)
    return shift, require_guild(shift.business.guild_id, write=write)
