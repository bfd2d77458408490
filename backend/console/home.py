"""The start page."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from backend.console.access import requires, staff
from backend.console.core import bp
from backend.extensions import db
from backend.organisations.grants import granting_guild_ids
from backend.organisations.models import GuildAssociation


@bp.get("/")
@requires()
def home() -> str:
    """The start page: what this person can do here, and for whom under a grant."""
    user = staff()
    granted = []
    if user.role == "guild_staff" and user.guild_id is not None:
        ids = granting_guild_ids(user.guild_id)
        if ids:
            granted = db.session.scalars(
                select(GuildAssociation).where(GuildAssociation.id.in_(ids))
                .order_by(GuildAssociation.name)
            ).all()  # fmt: skip
    return render_template("console/home.html", user=user, granted=granted)
