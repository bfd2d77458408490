"""``/widget/<city>``: the listings inside a town's own portal page, framed only by it."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from marshmallow import EXCLUDE, ValidationError
from werkzeug.exceptions import TooManyRequests

from backend.calls.operations import CallEventError, record_call_event
from backend.core.errors import ProblemError, flat_errors, http_exception_to_problem, retry_after
from backend.core.limits import call_event_limit, search_limit
from backend.core.security import allow_framing
from backend.extensions import db
from backend.geo.schemas import CallIn
from backend.organisations.models import PartnerCity
from backend.reference.catalogue import UnknownSlug
from backend.web.assets import AssetStore, make_asset
from backend.web.legal import LEGAL_URLS
from backend.web.views import IMMUTABLE, REVALIDATE, deliver
from backend.widgets.operations import UnknownCity, find_city
from backend.widgets.page import build_page, label
from backend.widgets.preset import Preset, parse_preset
from backend.widgets.texts import fill, texts
from backend.widgets.theme import css_variables

bp = Blueprint("widgets", __name__)
# This server's own pages may frame every widget: the console's embed kit previews it.
# No other page can use that, so a city without a registered portal is still framed by none.
OWN_ORIGIN = "'self'"
# The API's call-event rules; the channel is always "widget", whatever the body says.
WIDGET_CALL = CallIn(only=("id", "business_id", "category"), unknown=EXCLUDE)


def widget_assets() -> AssetStore:
    """The widget's own scripts and stylesheet (backend/widgets/static/)."""
    return current_app.extensions["widget_assets"]


def asset_url(name: str) -> str:
    """The versioned, long-cacheable URL of one of the widget's files."""
    return f"/widget/{name}?v={widget_assets().build}"


def _html(html: str, status: int, lang: str) -> Response:
    response = deliver(make_asset("widget", "text/html; charset=utf-8", html.encode()), REVALIDATE)
    response.status_code = status if response.status_code == 200 else response.status_code
    response.headers["Content-Language"] = lang
    return response


@bp.get("/widget/<slug>")
@search_limit
def widget(slug: str) -> Response:
    """The categories, or who can help now (``?emergency=`` or ``?trade=``), for one city."""
    preset = parse_preset(request.args)
    try:
        city = find_city(slug)
    except UnknownCity:
        return notice_page(preset, "unknown_city", 404)
    return framed(city, render_widget(city, preset))


def framed(city: PartnerCity, response: Response) -> Response:
    """``response`` framed only by the city's registered portals (and the kit's preview)."""
    return allow_framing(response, [*(city.allowed_origins or []), OWN_ORIGIN])


def notice_page(preset: Preset, text: str, status: int) -> Response:
    """A page with the widget's sentence ``text`` and the emergency numbers (not framed)."""
    words = texts(preset.lang)
    html = render_template("widgets/missing.html", lang=preset.lang, t=words, message=words[text])
    return _html(html, status, preset.lang)


@bp.errorhandler(TooManyRequests)
def too_many_searches(exc: TooManyRequests) -> Response:
    """Over the search limit: try again shortly, and 112/110, inside the portal's frame.

    Only the page a resident sees; the beacons and scripts keep the API's problem+json.
    """
    if request.endpoint != "widgets.widget":
        return http_exception_to_problem(exc)
    response = notice_page(parse_preset(request.args), "too_many_searches", 429)
    response.headers.update(retry_after(exc))
    response.headers["Cache-Control"] = "no-store"
    try:
        return framed(find_city(request.view_args["slug"]), response)
    except (UnknownCity, KeyError, TypeError):
        return response


def render_widget(city: PartnerCity, preset: Preset) -> Response:
    """The widget page of ``city`` for ``preset`` (framing is the caller's decision)."""
    page = build_page(city, preset)
    if page.counted:
        db.session.commit()
    html = render_template(
        "widgets/widget.html",
        city=city,
        preset=preset,
        page=page,
        t=texts(preset.lang),
        fill=fill,
        link=lambda **changes: url_for("widgets.widget", slug=city.slug, **preset.query(**changes)),
        label=label,
        lang=preset.lang,
        style_url=url_for("widgets.stylesheet", slug=city.slug, v=_theme_version(city)),
        script_url=asset_url("frame.js"),
        legal_urls=legal_urls(preset.lang),
        oembed_url=url_for(
            "widgets.oembed",
            url=url_for("widgets.widget", slug=city.slug, _external=True, **preset.query()),
            format="json",
            _external=True,
        ),
    )
    return _html(html, page.status, preset.lang)


def _stylesheet_body(city) -> bytes:
    base = widget_assets().get("widget.css")
    return base.body + b"\n" + css_variables(city.theme).encode()


def _theme_version(city) -> str:
    return hashlib.sha256(_stylesheet_body(city)).hexdigest()[:12]


@bp.get("/widget/<slug>/style.css")
def stylesheet(slug: str) -> Response:
    """The widget's stylesheet with the city's colours as CSS custom properties."""
    try:
        city = find_city(slug)
    except UnknownCity:
        abort(404)
    body = _stylesheet_body(city)
    asset = make_asset(f"{slug}.css", "text/css; charset=utf-8", body)
    versioned = request.args.get("v") == _theme_version(city)
    return deliver(asset, IMMUTABLE if versioned else REVALIDATE)


@bp.get("/widget/frame.js")
def frame_script() -> Response:
    """Inside the frame: reports the height, offers the device position, records calls."""
    return _serve_asset("frame.js")


@bp.get("/widget/embed.js")
def embed_script() -> Response:
    """On the portal page: sizes each widget frame to the height it reports."""
    return _serve_asset("embed.js")


def _serve_asset(name: str) -> Response:
    store = widget_assets()
    asset = store.get(name)
    versioned = request.args.get("v") == store.build
    response = deliver(asset, IMMUTABLE if versioned else "public, max-age=3600")
    return response


@bp.post("/widget/<slug>/calls")
@call_event_limit
def call_event(slug: str) -> tuple[str, int]:
    """Record an anonymous tap on a call link of this city's widget (sent as a beacon)."""
    try:
        city = find_city(slug)
    except UnknownCity as exc:
        raise ProblemError(404, "Not found", str(exc)) from exc
    # A beacon may come as text/plain: any body is read as JSON, checked by the API's schema.
    body = request.get_json(force=True, silent=True)
    try:
        call = WIDGET_CALL.load(body if isinstance(body, dict) else {})
    except ValidationError as exc:
        raise ProblemError(
            422,
            "Invalid call event",
            "Give id (a UUID) and business_id (a number).",
            errors=flat_errors({"body": exc.messages}),
        ) from exc
    try:
        record_call_event(
            str(call["id"]), call["business_id"], call["category"], "widget", city_id=city.id
        )
        db.session.commit()
    except (CallEventError, UnknownSlug) as exc:
        db.session.rollback()
        status = exc.status if isinstance(exc, CallEventError) else 422
        raise ProblemError(status, "Unknown reference", str(exc)) from exc
    return "", 204


def legal_urls(lang: str) -> dict[str, str]:
    """The accessibility statement, privacy notice and legal notice in ``lang``."""
    pages = {"accessibility": "barrierefreiheit", "privacy": "datenschutz", "imprint": "impressum"}
    return {key: LEGAL_URLS[(page, lang)] for key, page in pages.items()}
