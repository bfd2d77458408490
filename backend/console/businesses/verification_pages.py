"""Console page of a guild's verification: what is due, and whether overdue ones are withheld."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for

from backend.businesses.verification import (
    due_businesses,
    policy_of,
    set_policy,
    withhold_overdue,
)
from backend.console.access import require_guild, requires
from backend.console.blueprint import console_blueprint
from backend.console.businesses.fields import actor_for
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.console.i18n import tr
from backend.core.types import utcnow
from backend.extensions import db

bp = console_blueprint("console_verification", __name__, url_prefix="/verification")


@bp.route("/", methods=["GET", "POST"])
@requires("admin", "guild_staff")
def settings():
    """The guild's businesses due for a check, and its choice to withhold overdue ones."""
    guild = chosen_guild(visible_guilds())
    grant = require_guild(guild, write=True)
    policy = policy_of(guild)
    error = None
    if request.method == "POST":
        withhold = request.form.get("withhold_overdue") == "1"
        try:
            grace_days = int(request.form.get("grace_days", ""))
            if not 0 <= grace_days <= 730:
                raise ValueError
        except ValueError:
            error = tr("Bitte eine ganze Zahl von 0 bis 730 Tagen angeben.",
                       "Please give a whole number of days from 0 to 730.")  # fmt: skip
        else:
            set_policy(guild, withhold_overdue=withhold, grace_days=grace_days,
                       actor=actor_for(guild.id, grant))  # fmt: skip
            # Apply the choice at once rather than at the next daily sweep.
            withhold_overdue(utcnow(), current_app.config["VERIFICATION_DUE_MONTHS"])
            db.session.commit()
            flash(tr("Gespeichert.", "Saved."))
            return redirect(url_for(".settings", guild=guild.slug))
    due = due_businesses(guild.id, utcnow(), current_app.config["VERIFICATION_DUE_MONTHS"])
    html = render_template(
        "console/businesses/verification.html",
        guild=guild, policy=policy, due=due, error=error,
        due_months=current_app.config["VERIFICATION_DUE_MONTHS"],
    )  # fmt: skip
    return html, 422 if error else 200
