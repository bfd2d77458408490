"""Admin pages: every staff account, invitations by e-mail, deactivation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from backend.console.access import requires, staff
from backend.console.admin_forms import InviteForm
from backend.console.core import bp
from backend.console.forms import ConfirmForm
from backend.console.i18n import tr
from backend.console.mails import send_invitation_mail
from backend.extensions import db
from backend.mail.operations import MailError
from backend.organisations.accounts import set_active
from backend.organisations.models import GuildAssociation, PartnerCity, StaffUser
from backend.organisations.operations import OrganisationError, invite_staff_user


def _invite_form() -> InviteForm:
    form = InviteForm()
    guilds = db.session.scalars(select(GuildAssociation).order_by(GuildAssociation.name))
    cities = db.session.scalars(select(PartnerCity).order_by(PartnerCity.name))
    form.guild.choices = [SelectChoice("", "–"), *(SelectChoice(g.slug, g.name) for g in guilds)]
    form.city.choices = [SelectChoice("", "–"), *(SelectChoice(c.slug, c.name) for c in cities)]
    return form


def _by_slug(model, slug: str | None):
    return db.session.scalar(select(model).where(model.slug == slug)) if slug else None


@bp.route("/admin/staff", methods=["GET", "POST"])
@requires("admin")
def admin_staff() -> Response | str:
    """All accounts, and the invitation form (the person sets a password from the e-mail)."""
    form = _invite_form()
    if form.validate_on_submit():
        role = form.role.data
        guild, city = (
            _by_slug(GuildAssociation, form.guild.data),
            _by_slug(PartnerCity, form.city.data),
        )
        if role == "guild_staff" and guild is None:
            form.guild.errors.append(
                tr("Bitte den Verband wählen.", "Please choose the association.")
            )
        elif role == "city_editor" and city is None:
            form.city.errors.append(tr("Bitte die Stadt wählen.", "Please choose the city."))
        else:
            try:
                user = invite_staff_user(form.email.data, form.name.data.strip(), role,
                                         guild=guild, city=city, actor=staff().email)  # fmt: skip
                send_invitation_mail(user, staff())
            except OrganisationError as exc:
                db.session.rollback()
                exists = "already exists" in str(exc)
                form.email.errors.append(
                    tr("Für diese Adresse gibt es schon ein Konto.", str(exc)) if exists
                    else tr("Das ist keine gültige E-Mail-Adresse.", str(exc))
                )  # fmt: skip
            except MailError:
                db.session.rollback()  # no account without its invitation
                form.email.errors.append(tr(
                    "Die Einladung konnte nicht gesendet werden (E-Mail-Server nicht erreichbar). "
                    "Es wurde nichts angelegt.",
                    "The invitation could not be sent (mail server unreachable). "
                    "Nothing was created.",
                ))  # fmt: skip
            else:
                db.session.commit()
                flash(
                    tr(f"Einladung an {user.email} gesendet.", f"Invitation sent to {user.email}.")
                )
                return redirect(url_for("console.admin_staff"))
    accounts = db.session.scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.email)).all()
    return render_template("console/admin_staff.html", form=form, accounts=accounts,
                           confirm=ConfirmForm())  # fmt: skip


@bp.post("/admin/staff/<int:user_id>/active")
@requires("admin")
def admin_staff_active(user_id: int) -> Response:
    """Deactivate (ending every session at once) or reactivate an account."""
    ConfirmForm()
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    if user.id == staff().id:
        flash(tr("Das eigene Konto lässt sich hier nicht deaktivieren.",
                 "You cannot deactivate your own account here."))  # fmt: skip
        return redirect(url_for("console.admin_staff"))
    set_active(user, not user.active, actor=staff().email)
    db.session.commit()
    if user.active:
        flash(tr(f"{user.email}: aktiviert.", f"{user.email}: activated."))
    else:
        flash(tr(f"{user.email}: deaktiviert, Sitzungen beendet.",
                 f"{user.email}: deactivated, sessions ended."))  # fmt: skip
    return redirect(url_for("console.admin_staff"))
