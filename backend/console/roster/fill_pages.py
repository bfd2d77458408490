"""Closing a gap: the fill suggestions for an uncovered span, taken over or replaced.

The proposals are :func:`backend.roster.suggestions.fill_suggestions`; staff take one
(the shift is added as proposed) or choose another business of the guild. Afterwards
the span is judged again by the coverage operation and the page says what is left.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from backend.businesses.models import Business
from backend.console.access import may_edit_guild, require_guild, requires, staff
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.console.i18n import tr
from backend.console.roster.choices import business_choices
from backend.console.roster.core import EDITORS, actor_for, bp, message
from backend.console.roster.forms import TakeForm, pick
from backend.console.roster.period import when
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.models import PartnerCity
from backend.reference.catalogue import EmergencyRef, UnknownSlug, get_emergency, trades_by_slug
from backend.roster.coverage import CoverageError, city_coverage, partner_cities
from backend.roster.planning import PlanningError, add_shift
from backend.roster.suggestions import fill_suggestions


def _instant(text: str | None) -> datetime:
    try:
        instant = datetime.fromisoformat(text or "")
    except ValueError:
        abort(400)
    return instant if instant.tzinfo else instant.replace(tzinfo=BERLIN)


def read_gap(values) -> tuple[PartnerCity, EmergencyRef, datetime, datetime]:
    """The city, category and span of ``values`` (400 / 404 for bad or unknown ones)."""
    try:
        (city,) = partner_cities(values.get("city") or "-")
        category = get_emergency(values.get("emergency") or "-")
    except (CoverageError, UnknownSlug):
        abort(404)
    start, end = _instant(values.get("start")), _instant(values.get("end"))
    if end <= start or not category.trades or (end - start).days > 31:
        abort(400)
    return city, category, start, end


@bp.get("/suggestions")
@requires(*EDITORS)
def suggestions():
    """Who should take an uncovered span: the proposals, and any other business."""
    guild = chosen_guild(visible_guilds())
    require_guild(guild, write=True)
    return _page(guild, *read_gap(request.args), TakeForm())


def _page(guild, city, category, start, end, form: TakeForm, error: str = "", status=200):
    proposals = fill_suggestions(city, category.slug, start, end)
    guild_of = dict(db.session.execute(select(Business.id, Business.guild_id).where(
        Business.id.in_([p.business_id for p in proposals] or [-1]))).all())  # fmt: skip
    user = staff()
    open_gaps = city_coverage(city, start, end).gaps[category.slug]
    html = render_template(
        "console/roster/suggestions.html",
        guild=guild, city=city, category=category, start=start, end=end, form=form,
        proposals=proposals, error=error, open_gaps=open_gaps, when=when, trades=trades_by_slug(),
        writable={p.business_id for p in proposals
                  if may_edit_guild(user, guild_of[p.business_id])},
        others=business_choices(guild, {t.slug for t in category.trades}),
        span={"start": start.isoformat(timespec="minutes"),
              "end": end.isoformat(timespec="minutes")},
    )  # fmt: skip
    return html, status


@bp.post("/suggestions")
@requires(*EDITORS)
def take():
    """Add the shift of a proposal (or of the business chosen instead) for the span."""
    guild = chosen_guild(visible_guilds())
    require_guild(guild, write=True)
    form = TakeForm()
    city, category, start, end = read_gap(request.form)
    chosen = pick(form.who.data) if form.validate() else None
    business = db.session.get(Business, chosen[0]) if chosen else None
    if business is None:
        error = tr("Bitte einen Betrieb wählen.", "Please choose a business.")
        return _page(guild, city, category, start, end, form, error, 422)
    grant = require_guild(business.guild_id, write=True)
    try:
        add_shift(business, chosen[1], start, end, actor=actor_for(grant))
    except PlanningError as exc:
        db.session.rollback()
        return _page(guild, city, category, start, end, form, message(exc), 422)
    db.session.commit()
    left = city_coverage(city, start, end).gaps[category.slug]
    flash(_outcome(business.name, city, category, left))
    return redirect(url_for(".plan", guild=guild.slug, **{"from": start.astimezone(BERLIN)
                                                          .date().isoformat()}))  # fmt: skip


def _outcome(name: str, city: PartnerCity, category: EmergencyRef, left) -> str:
    label = tr(category.label_de, category.label_en)
    if not left:
        return tr(f"{name} übernimmt. Die Lücke in {city.name} ({label}) ist geschlossen.",
                  f"{name} takes it. The gap in {city.name} ({label}) is closed.")  # fmt: skip
    spans = "; ".join(f"{when(gap.start)} – {when(gap.end)}" for gap in left)
    return tr(f"{name} übernimmt. In {city.name} ({label}) bleibt offen: {spans}.",
              f"{name} takes it. Still open in {city.name} ({label}): {spans}.")  # fmt: skip
