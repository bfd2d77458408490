"""The blueprint serves the shell with the right types, compression and cache headers."""

from __future__ import annotations

import gzip
import re

import pytest

from backend import create_app
from backend.web.assets import AssetStore
from tests.web.helpers import modules

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture(scope="module")
def web(app):
    """A client for files that need no database rows."""
    return app.test_client()


@pytest.fixture(scope="module")
def build(app) -> str:
    return app.extensions["web_assets"].build


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/", "text/html"),
        ("/sw.js", "text/javascript"),
        ("/app.js", "text/javascript"),
        ("/lib/dom.js", "text/javascript"),
        ("/components/picker.js", "text/javascript"),
        ("/views/home.js", "text/javascript"),
        ("/style.css", "text/css"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/i18n/de.json", "application/json"),
        ("/i18n/en.json", "application/json"),
        ("/icons/icon.svg", "image/svg+xml"),
        ("/icons/icon-192.png", "image/png"),
        ("/icons/maskable-512.png", "image/png"),
        ("/offline.html", "text/html"),
    ],
)
def test_files_are_served_with_their_type(web, path, mimetype):
    response = web.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/no-such.js",
        "/icons/make_icons.py",
        "/i18n/fr.json",
        "/lib/no-such.js",
        "/other/dom.js",
        "/views/lib/dom.js",
    ],
)
def test_unknown_or_unlisted_files_are_problem_404(web, path):
    response = web.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_shell_has_strict_csp_and_no_framing(web):
    response = web.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_text_is_gzipped_when_accepted_and_plain_otherwise(web):
    packed = web.get("/app.js", headers=GZIP)
    plain = web.get("/app.js")
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["ETag"] != plain.headers["ETag"]


def test_png_is_not_recompressed(web):
    assert "Content-Encoding" not in web.get("/icons/icon-512.png", headers=GZIP).headers


def test_etag_gives_304(web):
    first = web.get("/style.css", headers=GZIP)
    again = web.get("/style.css", headers={**GZIP, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


@pytest.mark.parametrize("path", ["/", "/sw.js", "/index.html"])
def test_shell_entry_points_are_always_revalidated(web, path, build):
    assert web.get(path, query_string={"v": build}).headers["Cache-Control"] == "no-cache"


def test_service_worker_may_control_the_whole_origin(web):
    assert web.get("/sw.js").headers["Service-Worker-Allowed"] == "/"


def test_versioned_files_are_immutable_others_revalidated(web, build):
    assert "immutable" in web.get(f"/app.js?v={build}").headers["Cache-Control"]
    assert "max-age=31536000" in web.get(f"/i18n/en.json?v={build}").headers["Cache-Control"]
    # An old or missing version must not pin today's bytes under that URL for a year.
    assert web.get("/app.js?v=0ld").headers["Cache-Control"] == "no-cache"
    assert web.get("/app.js").headers["Cache-Control"] == "no-cache"


def test_build_id_replaces_every_placeholder(web, build):
    for path in ("/", "/sw.js", "/app.js", "/components/picker.js", "/manifest.webmanifest"):
        body = web.get(path).get_data(as_text=True)
        assert "__BUILD__" not in body, path
    assert f'data-build="{build}"' in web.get("/").get_data(as_text=True)
    sw = web.get("/sw.js").get_data(as_text=True)
    assert f'const VERSION = "{build}";' in sw


def test_modules_import_versioned_urls_only():
    """A relative import without ?v= could load a module of another build."""
    for module in modules():
        for target in re.findall(r'from\s+"([^"]+)"', module.read_text()):
            assert target.endswith("?v=__BUILD__"), f"{module.name} imports {target}"


def test_build_changes_with_any_file(tmp_path):
    (tmp_path / "index.html").write_text('<html data-build="__BUILD__"></html>')
    (tmp_path / "app.js").write_text("export const a = 1;")
    store = AssetStore(tmp_path)
    before = store.build
    (tmp_path / "app.js").write_text("export const a = 2;")
    store.load()
    assert store.build != before
    assert store.get("index.html").body == f'<html data-build="{store.build}"></html>'.encode()
    assert AssetStore(tmp_path, extra=b"operator changed").build != store.build


def test_pwa_dir_can_be_configured(tmp_path):
    (tmp_path / "index.html").write_text("<p>other shell</p>")
    app = create_app(
        {"TESTING": True, "PWA_DIR": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert app.test_client().get("/").data == b"<p>other shell</p>"


def test_api_routes_are_untouched(client):
    response = client.get("/api/v1/emergencies")
    assert response.status_code == 200
    assert {e["slug"] for e in response.json} >= {"wasser", "gasgeruch"}
    assert client.get("/api/v1/no-such").mimetype == "application/problem+json"
