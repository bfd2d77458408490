"""Choices of the plan's forms: a guild's active businesses with each of their trades."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from backend.businesses.models import Business
from backend.console.i18n import current_lang
from backend.extensions import db
from backend.organisations.models import GuildAssociation
from backend.reference.catalogue import trade_slugs_by_id, trades_by_slug


def business_choices(guild: GuildAssociation, trades: set[str] | None = None) -> list[SelectChoice]:
    """``id|trade`` labelled ``Name – Gewerk`` for each active business and trade (or those of
    ``trades``), by name."""
    businesses = db.session.scalars(
        select(Business)
        .options(selectinload(Business.trade_links))
        .where(Business.guild_id == guild.id, Business.active.is_(True))
        .order_by(Business.name, Business.id)
    )
    slugs, refs, english = trade_slugs_by_id(), trades_by_slug(), current_lang() == "en"
    choices = []
    for business in businesses:
        for link in sorted(business.trade_links, key=lambda link: slugs[link.trade_id]):
            slug = slugs[link.trade_id]
            if trades is None or slug in trades:
                trade = refs[slug].name_en if english else refs[slug].name_de
                choices.append(SelectChoice(f"{business.id}|{slug}", f"{business.name} – {trade}"))
    return choices


def back_url(guild: GuildAssociation) -> str:
    """Where to go after a change: the plan page the person came from, else the guild's plan.

    Only a path of the plan pages is followed (never another host).
    """
    back = request.values.get("back", "")
    parts = urlsplit(back)
    if not parts.scheme and not parts.netloc and parts.path.startswith("/console/roster/"):
        return back
    return url_for("console_roster.plan", guild=guild.slug)
