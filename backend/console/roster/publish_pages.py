"""Publishing a period of the plan: a confirmation page that lists every remaining gap."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from backend.console.access import require_guild, requires
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.console.i18n import tr
from backend.console.roster.core import EDITORS, actor_for, bp
from backend.console.roster.forms import PublishForm
from backend.console.roster.period import when
from backend.console.roster.plan_pages import read_day, today
from backend.extensions import db
from backend.reference.catalogue import catalogue
from backend.roster.coverage import MAX_PERIOD_DAYS, find_gaps, partner_cities
from backend.roster.models import RosterPublication
from backend.roster.planning import publish_plan


def _days():
    first = read_day(request.values.get("first_day"), today())
    last = read_day(request.values.get("last_day"), first)
    if last < first or (last - first).days >= MAX_PERIOD_DAYS:
        return first, first, tr("Ungültiger Zeitraum: es wird nur der erste Tag gezeigt.",
                                "Invalid period: only the first day is shown.")  # fmt: skip
    return first, last, ""


@bp.route("/publish", methods=["GET", "POST"])
@requires(*EDITORS)
def publish():
    """GET: the gaps that would remain (as warnings); POST: publish the period."""
    guild = chosen_guild(visible_guilds())
    grant = require_guild(guild, write=True)
    first, last, problem = _days()
    form = PublishForm()
    if request.method == "POST" and form.validate() and not problem:
        publication = publish_plan(guild, first, last, actor=actor_for(grant))
        db.session.commit()
        count = len(publication.gaps)
        flash(tr(f"Veröffentlicht: {first:%d.%m.%Y} – {last:%d.%m.%Y}, {count} Lücken offen.",
                 f"Published: {first:%d.%m.%Y} – {last:%d.%m.%Y}, {count} gaps open."))  # fmt: skip
        return redirect(url_for(".plan", guild=guild.slug, **{"from": first.isoformat()}))
    names = {city.slug: city.name for city in partner_cities()}
    labels = {c.slug: tr(c.label_de, c.label_en) for c in catalogue().emergencies}
    earlier = db.session.scalars(
        select(RosterPublication).where(RosterPublication.guild_id == guild.id)
        .order_by(RosterPublication.published_at.desc()).limit(10)
    ).all()  # fmt: skip
    return render_template(
        "console/roster/publish.html", guild=guild, first=first, last=last, form=form,
        gaps=find_gaps(first, last), names=names, labels=labels, when=when, problem=problem,
        earlier=earlier,
    )  # fmt: skip
