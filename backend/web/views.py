"""Routes of the resident app: the shell, the service worker and the static files."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request

from backend.web.assets import Asset, AssetStore

bp = Blueprint("web", __name__)

# A versioned URL never changes its content: cache it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Everything else may be stored but must be revalidated (cheap: ETag and 304).
REVALIDATE = "no-cache"


def asset_store() -> AssetStore:
    """The app's :class:`AssetStore`, created by :func:`backend.web.init_app`."""
    return current_app.extensions["web_assets"]


def deliver(asset: Asset, cache_control: str) -> Response:
    """Send ``asset`` gzipped when the client accepts it, with ETag and conditional 304."""
    use_gzip = asset.gzipped is not None and request.accept_encodings["gzip"] > 0
    response = Response(asset.gzipped if use_gzip else asset.body, content_type=asset.mimetype)
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Cache-Control"] = cache_control
    # Weak validators would be enough, but the two encodings must never share an ETag.
    response.set_etag(asset.etag + ("-gz" if use_gzip else ""))
    return response.make_conditional(request)


def _serve(path: str, cache_control: str | None = None) -> Response:
    store = asset_store()
    asset = store.get(path)
    if asset is None:
        abort(404)
    if cache_control is None:
        versioned = request.args.get("v") == store.build
        cache_control = IMMUTABLE if versioned else REVALIDATE
    return deliver(asset, cache_control)


@bp.get("/")
def index() -> Response:
    """The app shell; always revalidated so that a new build is seen at once."""
    return _serve("index.html", REVALIDATE)


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker; never cached by HTTP, its bytes change with every build."""
    response = _serve("sw.js", REVALIDATE)
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/<name>")
def root_file(name: str) -> Response:
    """A file at the top of pwa/ (styles, app.js, manifest, offline page)."""
    return _serve(name, REVALIDATE if name == "index.html" else None)


@bp.get("/<any(lib, components, views):folder>/<name>")
def module(folder: str, name: str) -> Response:
    """A JavaScript module of the app: lib/ (plumbing), components/ (parts), views/ (screens)."""
    return _serve(f"{folder}/{name}")


@bp.get("/i18n/<name>")
def translation(name: str) -> Response:
    """UI strings of one language."""
    return _serve(f"i18n/{name}")


@bp.get("/icons/<name>")
def icon(name: str) -> Response:
    """App and category icons."""
    return _serve(f"icons/{name}")
