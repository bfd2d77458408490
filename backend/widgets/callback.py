"""The callback request inside a widget: a plain form, no script, no cookie.

``GET /widget/<city>/callback/<business>`` shows the form, ``POST`` the same URL calls the
one callback operation (:func:`request_callback`, as ``POST /api/v1/callbacks`` does,
channel ``widget``, under the same shared limits) and answers ``303`` to the request's
state page ``/widget/<city>/callbacks/<id>``, which reloads itself (meta refresh) until
the state is final. Framed like the widget itself: by the city's portals and this server.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.exceptions import TooManyRequests

from backend.businesses.models import Business
from backend.core.input_fields import DB_INT_MAX
from backend.extensions import db
from backend.messaging.callbacks import (
    CallbackError,
    business_notified_by_sms,
    find_callback,
    request_callback,
    state_message,
)
from backend.messaging.limits import callback_limits
from backend.organisations.models import PartnerCity
from backend.reference.catalogue import UnknownSlug
from backend.widgets.operations import UnknownCity, find_city
from backend.widgets.preset import Preset, parse_preset
from backend.widgets.texts import fill, texts
from backend.widgets.views import framed, legal_urls, notice_page

bp = Blueprint("widget_callbacks", __name__)

FINAL_STATES = ("connected", "business_not_answered", "failed")
REFRESH_S = 5
# The widget's own words for these pages; the form's come from the app (callback.*).
OWN_TEXTS = {
    "de": {"heading": "Rückruf von {name}", "state": "Ihre Rückrufbitte",
           "refresh": "Diese Seite aktualisiert sich alle {seconds} Sekunden von selbst.",
           "reload": "Jetzt aktualisieren", "stop": "Automatisch aktualisieren anhalten",
           "back": "Zurück zur Liste", "gone": "Diese Rückrufbitte gibt es nicht (mehr)."},
    "en": {"heading": "Callback from {name}", "state": "Your callback request",
           "refresh": "This page updates itself every {seconds} seconds.",
           "reload": "Update now", "stop": "Stop updating automatically",
           "back": "Back to the list", "gone": "This callback request does not exist (any more)."},
}  # fmt: skip


def _page(city: PartnerCity, preset: Preset, template: str, status: int = 200, **context):
    """A widget page (framed like the widget), in the preset's language."""
    words = {**texts(preset.lang), **OWN_TEXTS[preset.lang]}
    html = render_template(
        template, city=city, preset=preset, t=words, fill=fill, lang=preset.lang,
        style_url=url_for("widgets.stylesheet", slug=city.slug),
        back_url=url_for("widgets.widget", slug=city.slug, **preset.query()),
        legal_urls=legal_urls(preset.lang), **context,
    )  # fmt: skip
    response = Response(html, status, content_type="text/html; charset=utf-8")
    response.headers["Content-Language"] = preset.lang
    response.headers["Cache-Control"] = "no-store"  # a state, and a form with a number
    return framed(city, response)


def _missing(preset: Preset) -> Response:
    return notice_page(preset, "unknown_city", 404)


def _listed_business(business_id: int) -> Business | None:
    business = db.session.get(Business, business_id)
    return business if business is not None and business.listed else None


@bp.route(f"/widget/<slug>/callback/<int(max={DB_INT_MAX}):business_id>", methods=["GET", "POST"])
@callback_limits
def form(slug: str, business_id: int) -> Response:
    """The form (GET), or the request (POST: 303 to its state, 422 with the reason)."""
    preset = parse_preset(request.args)
    try:
        city = find_city(slug)
    except UnknownCity:
        return _missing(preset)
    business = _listed_business(business_id)
    if business is None:
        return _missing(preset)
    error = None
    if request.method == "POST":
        error = _checked_form(preset)
        if error is None:
            try:
                created = request_callback(business.id, request.form["phone"],
                                           preset.emergency, "widget")  # fmt: skip
                db.session.commit()
            except (CallbackError, UnknownSlug) as exc:
                db.session.rollback()
                error = _reason(exc, preset.lang)
            else:
                return redirect(url_for(".state", slug=city.slug, public_id=created.public_id,
                                        **preset.query()), 303)  # fmt: skip
    return _page(city, preset, "widgets/callback.html", 422 if error else 200,
                 business=business, error=error)  # fmt: skip


def _checked_form(preset: Preset) -> str | None:
    words = texts(preset.lang)
    if not request.form.get("phone", "").strip():
        return words["callback.need_phone"]
    if request.form.get("consent") != "yes":
        return words["callback.need_consent"]
    return None


def _reason(exc: Exception, lang: str) -> str:
    if isinstance(exc, CallbackError):
        return exc.message_de if lang == "de" else exc.message
    return texts(lang)["callback.error"]


@bp.get("/widget/<slug>/callbacks/<uuid:public_id>")
def state(slug: str, public_id) -> Response:
    """Where the request stands; reloads itself every few seconds until final.

    ``?auto=0`` turns the reloading off (WCAG 2.2.1: a time limit the person can stop);
    the page then offers to update by hand.
    """
    preset = parse_preset(request.args)
    try:
        city = find_city(slug)
    except UnknownCity:
        return _missing(preset)
    callback = find_callback(str(public_id))
    if callback is None:
        return _page(city, preset, "widgets/callback_state.html", 404, callback=None)
    notified = callback.state == "business_not_answered" and business_notified_by_sms(callback)
    message_de, message_en = state_message(callback.state, notified)
    final = callback.state in FINAL_STATES
    auto = request.args.get("auto") != "0"
    return _page(
        city, preset, "widgets/callback_state.html", callback=callback, final=final,
        message=message_en if preset.lang == "en" else message_de,
        refresh=REFRESH_S if auto and not final else None,
        manual_url=url_for(".state", slug=city.slug, public_id=callback.public_id,
                           auto="0", **preset.query()),
    )  # fmt: skip


@bp.errorhandler(TooManyRequests)
def too_many(_exc: TooManyRequests) -> Response:
    """Over a limit: the German (or English) advice to call directly, as the app gives it."""
    preset = parse_preset(request.args)
    try:
        city = find_city(request.view_args["slug"])
    except (UnknownCity, KeyError, TypeError):
        return _missing(preset)
    business = _listed_business(request.view_args.get("business_id", 0))
    if business is None:
        return _missing(preset)
    error = texts(preset.lang)["callback.too_many"]
    return _page(city, preset, "widgets/callback.html", 429, business=business, error=error)
