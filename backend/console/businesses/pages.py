"""Console pages of businesses: list, create, edit (with hours preview), check, (de)activate.

Thin views: they read the form, call :mod:`backend.businesses.operations` and commit
once; a stale save shows both versions side by side (409) and writes nothing.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.businesses.hours_preview import preview_hours
from backend.businesses.models import Business
from backend.businesses.operations import (
    BusinessInvalid,
    EditConflict,
    EditRules,
    create_business,
    form_cells,
    set_active,
    update_business,
)
from backend.businesses.verification import is_due, verify_business
from backend.console.access import may_edit_guild, require_guild, requires, staff
from backend.console.blueprint import console_blueprint
from backend.console.businesses.fields import (
    FIELDS,
    GROUPS,
    actor_for,
    business_or_404,
    posted_cells,
)
from backend.console.businesses.listing import chosen_guild, page, read_filters, visible_guilds
from backend.console.i18n import tr
from backend.core.types import utcnow
from backend.extensions import db
from backend.geo.gazetteer import land_for_postcode
from backend.reference.catalogue import trades_by_slug

# Serves /console/businesses/static/businesses.css and upload.js.
bp = console_blueprint(
    "console_businesses", __name__, url_prefix="/businesses", static_folder="static"
)
EDITORS = ("admin", "guild_staff")


@bp.get("/")
@requires()
def index():
    """The guild's businesses, filtered, one page at a time."""
    guilds = visible_guilds()
    guild = chosen_guild(guilds)
    filters = read_filters(guild)
    now = utcnow()
    rows, next_cursor = page(filters, now, request.args.get("after"))
    due_months = current_app.config["VERIFICATION_DUE_MONTHS"]
    return render_template(
        "console/businesses/index.html",
        guilds=guilds, guild=guild, filters=filters, rows=rows, next_cursor=next_cursor,
        args=filters.query_args(guild.slug), trades=trades_by_slug(),
        due={row.id for row in rows if is_due(row, now, due_months)},
        may_edit=may_edit_guild(staff(), guild),
    )  # fmt: skip


def _edit_page(business: Business | None, cells: dict[str, str], *, guild, status: int = 200,
               errors=None, week: str = ""):  # fmt: skip
    """The edit (or create) page with these cells, their errors and the hours preview."""
    land = (business.land if business else None) or land_for_postcode(cells.get("postcode", ""))
    week_start = None
    try:
        week_start = date.fromisoformat(week) if week else None
    except ValueError:
        week_start = None
    preview = preview_hours(cells.get("opening_hours") or None, cells.get("emergency_hours")
                            or None, land or "ST", utcnow(), week_start)  # fmt: skip
    due_months = current_app.config["VERIFICATION_DUE_MONTHS"]
    html = render_template(
        "console/businesses/edit.html",
        business=business, cells=cells, guild=guild, groups=GROUPS,
        errors=errors.by_column() if errors else {}, preview=preview, land=land,
        week=week_start.isoformat() if week_start else "",
        due=business is not None and is_due(business, utcnow(), due_months),
        may_edit=may_edit_guild(staff(), guild),
    )  # fmt: skip
    return html, status


@bp.route("/new", methods=["GET", "POST"])
@requires(*EDITORS)
def create():
    """A new business of a guild the person may edit."""
    guild = chosen_guild(visible_guilds())
    grant = require_guild(guild, write=True)
    if request.method == "GET":
        return _edit_page(None, dict.fromkeys(FIELDS, ""), guild=guild)
    cells = posted_cells(request.form)
    if request.form.get("action") == "preview":
        return _edit_page(None, cells, guild=guild, week=request.form.get("week", ""))
    try:
        business = create_business(guild, cells, actor=actor_for(guild.id, grant),
                                   rules=EditRules.from_config(current_app.config))  # fmt: skip
    except BusinessInvalid as exc:
        db.session.rollback()
        return _edit_page(None, cells, guild=guild, status=422, errors=exc)
    db.session.commit()
    flash(tr(f"„{business.name}“ angelegt.", f"“{business.name}” created."))
    return redirect(url_for(".edit", business_id=business.id))


@bp.route("/<int:business_id>", methods=["GET", "POST"])
@requires()
def edit(business_id: int):
    """The business's form; saving checks the version the person started from."""
    business, grant = business_or_404(business_id, write=request.method == "POST")
    guild = business.guild
    if request.method == "GET":
        return _edit_page(business, form_cells(business), guild=guild,
                          week=request.args.get("week", ""))  # fmt: skip
    cells = posted_cells(request.form)
    if request.form.get("action") == "preview":
        return _edit_page(business, cells, guild=guild, week=request.form.get("week", ""))
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = -1
    try:
        changes = update_business(business, cells, version=version,
                                  actor=actor_for(guild.id, grant),
                                  rules=EditRules.from_config(current_app.config))  # fmt: skip
    except BusinessInvalid as exc:
        db.session.rollback()
        return _edit_page(db.session.get(Business, business_id), cells, guild=guild,
                          status=422, errors=exc)  # fmt: skip
    except EditConflict as exc:
        db.session.rollback()
        return _conflict_page(business_id, exc)
    db.session.commit()
    if changes:
        flash(tr("Gespeichert. Die Suche zeigt die Änderung sofort.",
                 "Saved. The search shows the change at once."))  # fmt: skip
    else:
        flash(tr("Keine Änderungen.", "No changes."))
    return redirect(url_for(".edit", business_id=business_id))


def _conflict_page(business_id: int, conflict: EditConflict):
    """Both versions side by side; the person's cells stay in the form (nothing is lost)."""
    current = db.session.get(Business, business_id)
    theirs = form_cells(current)
    differing = [name for name in FIELDS if theirs.get(name, "") != conflict.mine.get(name, "")]
    html = render_template(
        "console/businesses/conflict.html",
        business=current, mine=conflict.mine, theirs=theirs, my_version=conflict.my_version,
        their_version=current.version, differing=differing, fields=FIELDS, groups=GROUPS,
        last_editor=_last_editor(business_id),
    )  # fmt: skip
    return html, 409


def _last_editor(business_id: int) -> AuditLogEntry | None:
    """The latest audit entry of the business: who saved the version now stored."""
    return db.session.scalar(
        select(AuditLogEntry)
        .where(AuditLogEntry.entity_type == "Business",
               AuditLogEntry.entity_id == str(business_id))
        .order_by(AuditLogEntry.at.desc(), AuditLogEntry.id.desc())
        .limit(1)
    )  # fmt: skip


@bp.post("/<int:business_id>/verify")
@requires(*EDITORS)
def verify(business_id: int):
    """Record "checked today" by the signed-in person."""
    business, grant = business_or_404(business_id, write=True)
    verify_business(business, actor=actor_for(business.guild_id, grant), now=utcnow())
    db.session.commit()
    flash(tr("Als heute geprüft vermerkt.", "Recorded as checked today."))
    return redirect(url_for(".edit", business_id=business_id))


@bp.post("/<int:business_id>/deactivate")
@requires(*EDITORS)
def deactivate(business_id: int):
    """Take the business out of every listing (it is kept, with its history)."""
    return _set_active(business_id, False)


@bp.post("/<int:business_id>/restore")
@requires(*EDITORS)
def restore(business_id: int):
    """List a deactivated business again."""
    return _set_active(business_id, True)


def _set_active(business_id: int, active: bool):
    business, grant = business_or_404(business_id, write=True)
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = -1
    try:
        set_active(business, active, version=version, actor=actor_for(business.guild_id, grant))
    except EditConflict:
        db.session.rollback()
        flash(tr("Der Betrieb wurde inzwischen geändert; bitte prüfen und erneut versuchen.",
                 "The business was changed meanwhile; please check and try again."))  # fmt: skip
        return redirect(url_for(".edit", business_id=business_id))
    db.session.commit()
    if active:
        flash(tr("Wieder aufgenommen.", "Restored."))
    else:
        flash(tr("Deaktiviert: nicht mehr in der Suche.", "Deactivated: no longer listed."))
    return redirect(url_for(".edit", business_id=business_id))
