"""A city's widget settings: the portal origins that may frame it and its colours.

City editors change their own city's settings, admins every city's; everybody else on
the console reads them. The rules are the widgets' own (:mod:`backend.widgets.origins`,
:mod:`backend.widgets.theme`) through :mod:`backend.widgets.operations`, which the CLI
uses too; admins also find origins and colours on their city page (``admin_orgs``).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from backend.console.access import may_edit_city, requires, staff
from backend.console.admin_forms import THEME_KEYS
from backend.console.i18n import tr
from backend.console.widgets.core import KIT_ROLES, bp, city_or_404
from backend.console.widgets.forms import OriginForm, ThemeForm
from backend.extensions import db
from backend.organisations.models import PartnerCity
from backend.widgets.operations import OriginError, allow_origin, disallow_origin, save_theme
from backend.widgets.theme import (
    CALL_COLOUR,
    CONTRAST_RULES,
    SOS_COLOUR,
    ThemeError,
    contrast_ratio,
    effective_theme,
)


@bp.get("/<slug>/settings")
@requires()
def settings(slug: str) -> tuple[str, int]:
    """The city's portal origins and colours (read-only unless the user may edit the city)."""
    city = city_or_404(slug, write=False)
    return _page(city)


@bp.post("/<slug>/origins")
@requires(*KIT_ROLES)
def add_origin(slug: str) -> Response | tuple[str, int]:
    """Register a portal origin (scheme, host, optional port; no path, no wildcard)."""
    city = city_or_404(slug, write=True)
    form = OriginForm()
    if not form.validate():
        return _page(city, origin_form=form, status=422)
    try:
        origin, added = allow_origin(city, form.origin.data, actor=staff().email)
    except OriginError as exc:
        db.session.rollback()
        form.origin.errors.append(tr(exc.de, str(exc)))
        return _page(city, origin_form=form, status=422)
    db.session.commit()
    if added:
        flash(
            tr(f"{origin} darf das Widget jetzt einbetten.", f"{origin} may now embed the widget.")
        )
    else:
        flash(tr(f"{origin} war schon eingetragen.", f"{origin} was registered already."))
    return redirect(url_for("console_widgets.settings", slug=city.slug))


@bp.post("/<slug>/origins/remove")
@requires(*KIT_ROLES)
def remove_origin(slug: str) -> Response | tuple[str, int]:
    """Remove a portal origin: that portal shows nothing of the widget from now on."""
    city = city_or_404(slug, write=True)
    form = OriginForm()
    if not form.validate():
        return _page(city, status=422)
    origin, removed = disallow_origin(city, form.origin.data, actor=staff().email)
    db.session.commit()
    flash(tr(f"{origin} ist entfernt.", f"{origin} is removed.") if removed
          else tr(f"{origin} war nicht eingetragen.", f"{origin} was not registered."))  # fmt: skip
    return redirect(url_for("console_widgets.settings", slug=city.slug))


@bp.post("/<slug>/theme")
@requires(*KIT_ROLES)
def save_colours(slug: str) -> Response | tuple[str, int]:
    """Save the colours if every pair reaches its contrast; otherwise say which does not."""
    city = city_or_404(slug, write=True)
    form = ThemeForm()
    if not form.validate():
        return _page(city, theme_form=form, status=422)
    try:
        save_theme(city, form.colours(), actor=staff().email)
    except ThemeError as exc:
        db.session.rollback()
        reasons = [tr(de, en) for de, en in exc.reasons]
        return _page(city, theme_form=form, theme_errors=reasons, status=422)
    db.session.commit()
    flash(tr("Farben gespeichert.", "Colours saved."))
    return redirect(url_for("console_widgets.settings", slug=city.slug))


def contrasts(stored: dict[str, str] | None) -> list[tuple[str, float, float]]:
    """Each pair of the city's current colours: what it is, its ratio and the minimum."""
    theme = {**effective_theme(stored), "call": CALL_COLOUR, "sos": SOS_COLOUR}
    return [(tr(de, en), contrast_ratio(theme[fg], theme[bg]), minimum)
            for fg, bg, minimum, de, en in CONTRAST_RULES]  # fmt: skip


def _page(city: PartnerCity, *, origin_form: OriginForm | None = None,
          theme_form: ThemeForm | None = None, theme_errors: list[str] | None = None,
          status: int = 200) -> tuple[str, int]:  # fmt: skip
    stored = city.theme or {}
    if theme_form is None:
        theme_form = ThemeForm(formdata=None, data={k: stored.get(k, "") for k in THEME_KEYS})
    page = render_template(
        "console/widgets/settings.html", city=city, may_edit=may_edit_city(staff(), city),
        origin_form=origin_form or OriginForm(formdata=None), theme_form=theme_form,
        theme_errors=theme_errors or [], contrasts=contrasts(stored),
    )  # fmt: skip
    return page, status
