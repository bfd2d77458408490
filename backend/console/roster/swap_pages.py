"""Swaps of a guild's shifts: those waiting for staff (approve or decline) and the latest.

A swap waits here when the asked business accepted but coverage would get worse
(:mod:`backend.roster.swaps`); the business-facing link is ``/roster/tausch/<token>``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import aliased

from backend.businesses.models import Business
from backend.console.access import require_guild, requires
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.console.forms import ConfirmForm
from backend.console.i18n import tr
from backend.console.roster.core import EDITORS, actor_for, bp
from backend.console.roster.period import when
from backend.extensions import db
from backend.roster.models import RosterSwap
from backend.roster.planning import PlanningError
from backend.roster.swaps import approve_swap, reject_swap

STATUS = {
    "asked": ("angefragt", "asked"),
    "accepted": ("angenommen, wartet auf Freigabe", "accepted, awaiting approval"),
    "approved": ("getauscht", "swapped"),
    "rejected": ("abgelehnt", "declined"),
}


@bp.get("/swaps")
@requires(*EDITORS)
def swaps():
    """The guild's swaps: waiting ones first, then the latest 50."""
    guild = chosen_guild(visible_guilds())
    require_guild(guild, write=True)
    giver, taker = aliased(Business), aliased(Business)
    rows = db.session.execute(
        select(RosterSwap, giver.name, taker.name)
        .join(giver, giver.id == RosterSwap.from_business_id)
        .join(taker, taker.id == RosterSwap.to_business_id)
        .where(giver.guild_id == guild.id)
        .order_by((RosterSwap.status == "accepted").desc(), RosterSwap.created_at.desc())
        .limit(50)
    ).all()
    return render_template("console/roster/swaps.html", guild=guild, rows=rows, when=when,
                           status=STATUS, confirm=ConfirmForm())  # fmt: skip


@bp.post("/swaps/<int:swap_id>")
@requires(*EDITORS)
def decide_swap(swap_id: int):
    """Approve (the other business takes the shift) or decline (the shift stays)."""
    swap = db.session.get(RosterSwap, swap_id)
    if swap is None:
        abort(404)
    giver = db.session.get(Business, swap.from_business_id)
    grant = require_guild(giver.guild_id, write=True)
    decision = request.form.get("decision")
    if decision not in ("approve", "decline"):
        abort(400)
    try:
        if decision == "approve":
            approve_swap(swap, actor=actor_for(grant))
        else:
            reject_swap(swap, actor=actor_for(grant))
    except PlanningError as error:
        db.session.rollback()
        flash(tr(f"Nicht möglich: {error.de}", f"Not possible: {error.en}"))
    else:
        db.session.commit()
        flash(tr("Tausch freigegeben.", "Swap approved.") if decision == "approve"
              else tr("Tausch abgelehnt.", "Swap declined."))  # fmt: skip
    return redirect(url_for(".swaps", guild=giver.guild.slug))
