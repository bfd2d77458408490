"""Shared service on a guild's page: give another association access, revoke at once."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from backend.console.access import may_manage_guild, requires, staff
from backend.console.admin_forms import GrantForm
from backend.console.core import bp
from backend.console.forms import ConfirmForm
from backend.console.i18n import tr
from backend.core.types import utcnow
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.grants import GrantError, create_grant, grants_involving, revoke_grant
from backend.organisations.models import GuildAssociation, ServiceGrant, StaffUser


def managed_guild(slug: str) -> GuildAssociation:
    """The guild of ``slug`` if the signed-in person manages it (404 / 403 otherwise)."""
    guild = db.session.scalar(select(GuildAssociation).where(GuildAssociation.slug == slug))
    if guild is None:
        abort(404)
    if not may_manage_guild(staff(), guild):
        abort(403)
    return guild


def grant_form(guild: GuildAssociation) -> GrantForm:
    """The form with every other association to choose from."""
    form = GrantForm()
    others = db.session.scalars(
        select(GuildAssociation)
        .where(GuildAssociation.id != guild.id)
        .order_by(GuildAssociation.name)
    )
    form.grantee.choices = [SelectChoice(g.slug, g.name) for g in others]
    return form


def render_guild_page(guild: GuildAssociation, form: GrantForm) -> str:
    """The guild's page: staff, grants given and received, the grant form."""
    members = db.session.scalars(
        select(StaffUser).where(StaffUser.guild_id == guild.id).order_by(StaffUser.email)
    ).all()
    return render_template("console/guild.html", guild=guild, members=members,
                           grants=grants_involving(guild), form=form, confirm=ConfirmForm(),
                           now=utcnow())  # fmt: skip


@bp.get("/guilds/<slug>")
@requires("admin", "guild_staff")
def guild(slug: str) -> str:
    """A guild association's page (its own staff and admins only)."""
    found = managed_guild(slug)
    return render_guild_page(found, grant_form(found))


@bp.post("/guilds/<slug>/grants")
@requires("admin", "guild_staff")
def add_grant(slug: str) -> Response | str:
    """Give the chosen association's staff access to this association's data."""
    grantor = managed_guild(slug)
    form = grant_form(grantor)
    if form.validate_on_submit():
        grantee = db.session.scalar(
            select(GuildAssociation).where(GuildAssociation.slug == form.grantee.data)
        )
        if grantee is None:
            form.grantee.errors.append(
                tr("Bitte einen Verband wählen.", "Please choose an association.")
            )
        else:
            start = form.starts_at.data.replace(tzinfo=BERLIN)
            end = form.ends_at.data.replace(tzinfo=BERLIN)
            try:
                create_grant(
                    grantor, grantee, start, end, actor=staff().email, note=form.note.data or ""
                )
            except GrantError as exc:
                db.session.rollback()
                form.ends_at.errors.append(tr(exc.de, exc.en))
            else:
                db.session.commit()
                until = f"{form.ends_at.data:%d.%m.%Y %H:%M}"
                flash(tr(f"{grantee.name} hat jetzt Zugriff (bis {until}).",
                         f"{grantee.name} now has access (until {until})."))  # fmt: skip
                return redirect(url_for("console.guild", slug=slug))
    return render_guild_page(grantor, form)


@bp.post("/guilds/<slug>/grants/<int:grant_id>/revoke")
@requires("admin", "guild_staff")
def end_grant(slug: str, grant_id: int) -> Response:
    """End a grant at once; either side may end it."""
    guild = managed_guild(slug)
    grant = db.session.get(ServiceGrant, grant_id)
    if grant is None or guild.id not in (grant.grantor_guild_id, grant.grantee_guild_id):
        abort(404)
    revoke_grant(grant, actor=staff().email)
    db.session.commit()
    flash(tr("Freigabe beendet.", "Grant ended."))
    return redirect(url_for("console.guild", slug=slug))
