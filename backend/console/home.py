"""The start page and the page of one guild association (its staff and grants)."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from backend.console.access import may_manage_guild, requires, staff
from backend.console.core import bp
from backend.extensions import db
from backend.organisations.grants import grants_involving
from backend.organisations.models import GuildAssociation, StaffUser


@bp.get("/")
@requires()
def home() -> str:
    """The start page: what this person can do here."""
    return render_template("console/home.html", user=staff())


@bp.get("/guilds/<slug>")
@requires("admin", "guild_staff")
def guild(slug: str) -> str:
    """A guild association's page: its staff and the grants given and received."""
    found = db.session.scalar(select(GuildAssociation).where(GuildAssociation.slug == slug))
    if found is None:
        abort(404)
    if not may_manage_guild(staff(), found):
        abort(403)
    members = db.session.scalars(
        select(StaffUser).where(StaffUser.guild_id == found.id).order_by(StaffUser.email)
    ).all()
    return render_template(
        "console/guild.html", guild=found, members=members, grants=grants_involving(found)
    )
