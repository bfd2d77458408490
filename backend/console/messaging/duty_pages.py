"""``/console/messaging/duty`` and ``/alerts``: duty set by SMS, and shifts started unconfirmed.

The CSRF token of every POST is checked for all of /console/ (backend.console.init_app).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from backend.businesses.models import Business
from backend.console.access import require_guild, requires
from backend.console.blueprint import console_blueprint
from backend.console.businesses.fields import actor_for, business_or_404
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.console.i18n import tr
from backend.core.input_fields import DB_INT_MAX
from backend.core.types import utcnow
from backend.extensions import db
from backend.messaging.models import DutyNotice
from backend.messaging.overrides import current_overrides, end_override
from backend.messaging.staff_alerts import acknowledge_alert, guild_alerts
from backend.reference.catalogue import trades_by_slug
from backend.roster.models import RosterShift

bp = console_blueprint("console_duty", __name__, url_prefix="/messaging")


def _render(template: str, **context) -> str:
    """A page of the chosen guild (which the person must be allowed to change)."""
    guilds = visible_guilds()
    guild = chosen_guild(guilds)
    require_guild(guild, write=True)
    names = {trade.id: (trade.name_de, trade.name_en) for trade in trades_by_slug().values()}
    return render_template(template, guild=guild, guilds=guilds, trade_names=names,
                           **{key: make(guild) for key, make in context.items()})  # fmt: skip


@bp.get("/duty")
@requires("admin", "guild_staff")
def overrides() -> str:
    """The guild's businesses on duty by SMS ("AN") now, each with a button to end it."""
    return _render(
        "console/messaging/duty.html", overrides=lambda g: current_overrides(g.id, utcnow())
    )


@bp.post(f"/duty/<int(max={DB_INT_MAX}):business_id>/end")
@requires("admin", "guild_staff")
def end(business_id: int):
    """End a business's duty by SMS now (audited; the search shows it at once)."""
    business, grant = business_or_404(business_id, write=True)
    if end_override(business, actor_for(business.guild_id, grant), utcnow()):
        db.session.commit()
        flash(tr(f"Notdienst per SMS von {business.name} beendet.",
                 f"Duty by SMS of {business.name} ended."))  # fmt: skip
    else:
        flash(tr(f"{business.name} war nicht per SMS im Notdienst.",
                 f"{business.name} was not on duty by SMS."))  # fmt: skip
    return redirect(url_for(".overrides", guild=business.guild.slug))


@bp.get("/alerts")
@requires("admin", "guild_staff")
def alerts() -> str:
    """Planned shifts that started without the business's JA and nobody marked seen."""
    return _render("console/messaging/alerts.html", alerts=lambda g: guild_alerts(g.id))


@bp.post(f"/alerts/<int(max={DB_INT_MAX}):notice_id>/seen")
@requires("admin", "guild_staff")
def seen(notice_id: int):
    """Mark an alert seen (audited): it leaves the list."""
    notice = db.session.get(DutyNotice, notice_id)
    if notice is None or notice.kind != "alert":
        abort(404)
    shift = db.session.get(RosterShift, notice.shift_id)
    business = db.session.get(Business, shift.business_id)
    grant = require_guild(business.guild_id, write=True)
    if acknowledge_alert(notice, actor_for(business.guild_id, grant), utcnow()):
        db.session.commit()
    flash(tr("Als gesehen markiert.", "Marked as seen."))
    return redirect(url_for(".alerts", guild=business.guild.slug))
