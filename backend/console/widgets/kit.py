"""The embed kit: choose a preset, see the widget itself, copy the snippet for the portal.

The snippets come from :mod:`backend.widgets.embed` (the oEmbed endpoint hands out the
same iframe) and the widget URL from the preset the widget itself reads
(:func:`~backend.widgets.preset.parse_preset`), so the kit can never describe a widget
other than the one the portal will show. The preview frames the widget from this server,
which every widget allows (``'self'`` in its ``frame-ancestors``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from backend.console.access import requires, staff
from backend.console.i18n import current_lang, tr
from backend.console.widgets.core import KIT_ROLES, bp, city_or_404
from backend.console.widgets.forms import KitForm
from backend.extensions import db
from backend.geo.locations import LocationError, resolve_location
from backend.organisations.models import PartnerCity
from backend.reference.catalogue import catalogue
from backend.widgets.embed import ALLOW, DEFAULT_HEIGHT, SANDBOX, snippet_html, widget_title
from backend.widgets.preset import Preset, parse_preset
from backend.widgets.views import asset_url


@dataclass(frozen=True)
class EmbedCodes:
    """What the kit shows for one preset: the preview's address and the snippets."""

    title: str
    preview_url: str
    widget_url: str
    html: str


@bp.get("/")
@requires(*KIT_ROLES)
def index() -> Response | str:
    """Admins choose a city; a city editor goes straight to the own city's kit."""
    user = staff()
    if user.role == "city_editor":
        city = db.session.get(PartnerCity, user.city_id) if user.city_id else None
        if city is None:
            abort(403)
        return redirect(url_for("console_widgets.kit", slug=city.slug))
    cities = db.session.scalars(select(PartnerCity).order_by(PartnerCity.name)).all()
    return render_template("console/widgets/index.html", cities=cities)


@bp.get("/<slug>")
@requires(*KIT_ROLES)
def kit(slug: str) -> tuple[str, int]:
    """The kit of one city: the preset form (GET), the preview and the snippets."""
    city = city_or_404(slug, write=True)
    # The form always sends "mode"; other arguments (the console's ?lang=) are not a preset.
    submitted = "mode" in request.args
    form = KitForm(formdata=request.args if submitted else None)
    emergencies = catalogue().emergencies
    names = [SelectChoice(e.slug, e.label_en if current_lang() == "en" else e.label_de)
             for e in emergencies]  # fmt: skip
    form.emergency.choices = [SelectChoice("", tr("– bitte wählen –", "– please choose –")), *names]
    form.categories.choices = names
    preset = _checked_preset(form) if submitted else parse_preset({})
    codes = embed_codes(city, preset) if preset else None
    page = render_template(
        "console/widgets/kit.html", city=city, form=form, codes=codes, sandbox=SANDBOX,
        allow=ALLOW, height=DEFAULT_HEIGHT, embed_script=asset_url("embed.js"),
    )  # fmt: skip
    return page, 200 if preset else 422


def _checked_preset(form: KitForm) -> Preset | None:
    """The preset of a valid form, or None with the errors next to their fields."""
    if not form.validate():
        return None
    if form.mode.data == "fixed" and not form.emergency.data:
        form.emergency.errors.append(
            tr("Bitte den Notfall wählen, den das Widget zeigt.",
               "Please choose the emergency the widget shows.")
        )  # fmt: skip
        return None
    preset = parse_preset(form.preset_args())
    if preset.place or preset.postcode:
        try:
            resolve_location(postcode=preset.postcode, place=preset.place)
        except LocationError as exc:
            form.place.errors.append(_place_error(exc))
            return None
    return preset


def _place_error(exc: LocationError) -> str:
    if exc.candidates:
        return tr(
            "Mehrere Orte heißen so: bitte die Postleitzahl angeben, z. B. 38820.",
            "Several places have this name: please give the postcode, e.g. 38820.",
        )
    return tr("Diesen Ort oder diese Postleitzahl kennt das Ortsverzeichnis nicht.",
              "The gazetteer does not know this place or postcode.")  # fmt: skip


def embed_codes(city: PartnerCity, preset: Preset) -> EmbedCodes:
    """The preview address (this server) and the snippets (absolute addresses) of ``preset``."""
    query = preset.query()
    widget_url = url_for("widgets.widget", slug=city.slug, _external=True, **query)
    title = widget_title(city.name, preset.lang)
    script = url_for("widgets.embed_script", _external=True)  # unversioned: pasted for years
    return EmbedCodes(
        title=title,
        preview_url=url_for("widgets.widget", slug=city.slug, **query),
        widget_url=widget_url,
        html=str(snippet_html(widget_url, title, script)),
    )
