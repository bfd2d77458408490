"""Admin pages: guild associations and partner cities join as data (no code, no restart)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from backend.console.access import requires, staff
from backend.console.admin_forms import CityForm, GuildForm
from backend.console.core import bp
from backend.console.i18n import tr
from backend.extensions import db
from backend.organisations.cities import Centre, add_city, find_centre, update_city
from backend.organisations.models import GuildAssociation, PartnerCity
from backend.organisations.operations import OrganisationError, add_guild, rename_guild


@bp.route("/admin/guilds", methods=["GET", "POST"])
@requires("admin")
def admin_guilds() -> Response | str:
    """All guild associations, and a form to add one."""
    form = GuildForm()
    if form.validate_on_submit():
        try:
            guild = add_guild(form.slug.data.strip(), form.name.data, actor=staff().email)
        except OrganisationError as exc:
            db.session.rollback()
            form.slug.errors.append(tr(exc.de, str(exc)))
        else:
            db.session.commit()
            flash(tr(f"Verband „{guild.name}“ angelegt.", f"Association “{guild.name}” added."))
            return redirect(url_for("console.admin_guilds"))
    guilds = db.session.scalars(select(GuildAssociation).order_by(GuildAssociation.name)).all()
    return render_template("console/admin_guilds.html", guilds=guilds, form=form)


@bp.route("/admin/guilds/<slug>", methods=["GET", "POST"])
@requires("admin")
def admin_guild(slug: str) -> Response | str:
    """Rename a guild association (the slug stays: it is in published URLs)."""
    guild = db.first_or_404(select(GuildAssociation).where(GuildAssociation.slug == slug))
    form = GuildForm(obj=guild)
    form.slug.data = guild.slug
    if form.validate_on_submit():
        try:
            rename_guild(guild, form.name.data, actor=staff().email)
        except OrganisationError as exc:
            db.session.rollback()
            form.name.errors.append(tr(exc.de, str(exc)))
        else:
            db.session.commit()
            flash(tr("Gespeichert.", "Saved."))
            return redirect(url_for("console.admin_guilds"))
    return render_template("console/admin_guild.html", guild=guild, form=form)


@bp.get("/admin/cities")
@requires("admin")
def admin_cities() -> str:
    """All partner cities."""
    cities = db.session.scalars(select(PartnerCity).order_by(PartnerCity.name)).all()
    return render_template("console/admin_cities.html", cities=cities)


def _centre(form: CityForm) -> Centre | None:
    """The centre the form names (postcode, else town, else coordinates), or None.

    Errors go next to the field that caused them.
    """
    try:
        if form.postcode.data:
            return find_centre(postcode=form.postcode.data.strip())
        if form.town.data:
            return find_centre(town=form.town.data.strip())
    except OrganisationError:
        field = form.postcode if form.postcode.data else form.town
        field.errors.append(tr("Diesen Ort kennt das Ortsverzeichnis nicht.",
                               "The gazetteer does not know this place."))  # fmt: skip
        return None
    if form.lat.data is not None or form.lon.data is not None:
        if form.lat.data is None or form.lon.data is None:
            form.lon.errors.append(tr("Breite und Länge gehören zusammen.",
                                      "Latitude and longitude go together."))  # fmt: skip
            return None
        return Centre(form.lat.data, form.lon.data, "")
    return None


def _origins(form: CityForm) -> list[str]:
    return [line.strip() for line in (form.origins.data or "").splitlines() if line.strip()]


THEME_FIELDS = ("background", "text", "primary", "on_primary")


def _theme(form: CityForm) -> dict[str, str]:
    return {key: (getattr(form, key).data or "").strip() for key in THEME_FIELDS}


@bp.route("/admin/cities/new", methods=["GET", "POST"])
@requires("admin")
def admin_city_new() -> Response | str:
    """Add a partner city."""
    form = CityForm()
    if form.validate_on_submit():
        centre = _centre(form)
        if centre is None and not form.errors:
            form.postcode.errors.append(
                tr("Bitte Postleitzahl, Ort oder Koordinaten angeben.",
                   "Please give a postcode, a town or coordinates.")
            )  # fmt: skip
        if centre is not None:
            try:
                city = add_city(
                    form.slug.data.strip(), form.name.data, centre, radius_km=form.radius_km.data,
                    coverage_km=form.coverage_km.data, origins=_origins(form), theme=_theme(form),
                    actor=staff().email,
                )  # fmt: skip
            except OrganisationError as exc:
                db.session.rollback()
                form.slug.errors.append(tr(exc.de, str(exc)))
            else:
                db.session.commit()
                flash(tr(f"Stadt „{city.name}“ angelegt.", f"City “{city.name}” added."))
                return redirect(url_for("console.admin_cities"))
    return render_template("console/admin_city.html", form=form, city=None)


@bp.route("/admin/cities/<slug>", methods=["GET", "POST"])
@requires("admin")
def admin_city(slug: str) -> Response | str:
    """Edit a partner city; every changed field goes into the audit log."""
    city = db.first_or_404(select(PartnerCity).where(PartnerCity.slug == slug))
    form = CityForm(data={
        "slug": city.slug, "name": city.name, "lat": city.lat, "lon": city.lon,
        "radius_km": city.default_radius_km, "coverage_km": city.coverage_km,
        "origins": "\n".join(city.allowed_origins or []), "active": city.active,
        **{key: (city.theme or {}).get(key, "") for key in THEME_FIELDS},
    })  # fmt: skip
    if form.validate_on_submit():
        centre = _centre(form)
        if not form.errors:
            try:
                update_city(
                    city, actor=staff().email, name=form.name.data,
                    lat=centre.lat if centre else None, lon=centre.lon if centre else None,
                    default_radius_km=form.radius_km.data, coverage_km=form.coverage_km.data,
                    allowed_origins=_origins(form), theme=_theme(form), active=form.active.data,
                )  # fmt: skip
            except OrganisationError as exc:
                db.session.rollback()
                form.name.errors.append(tr(exc.de, str(exc)))
            else:
                db.session.commit()
                flash(tr("Gespeichert.", "Saved."))
                return redirect(url_for("console.admin_cities"))
    return render_template("console/admin_city.html", form=form, city=city)
