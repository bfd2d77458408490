"""What the shell contains: complete translations, a working shell list, no third parties."""

from __future__ import annotations

import json
import re
import struct
from urllib.parse import urlsplit

import pytest

from tests.web.helpers import PWA, modules, shell_list, strings, text_files, used_keys

GZIP = {"Accept-Encoding": "gzip"}
BUDGET_BYTES = 60 * 1024


@pytest.fixture(scope="module")
def web(app):
    return app.test_client()


def test_german_and_english_have_the_same_keys():
    de, en = strings("de"), strings("en")
    assert sorted(set(de) - set(en)) == []
    assert sorted(set(en) - set(de)) == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_string_is_empty_and_placeholders_match(lang):
    values = strings(lang)
    german = strings("de")
    for key, value in values.items():
        assert value.strip(), f"{lang}: {key} is empty"
        assert set(re.findall(r"\{(\w+)\}", value)) == set(re.findall(r"\{(\w+)\}", german[key]))


def test_every_key_used_by_page_and_modules_exists():
    used = used_keys()
    assert len(used) > 50  # the grep found the keys at all
    assert sorted(used - set(strings("de"))) == []


def test_no_string_is_unused():
    assert sorted(set(strings("de")) - used_keys()) == []


def test_shell_list_names_files_that_exist(web):
    for url in shell_list():
        path = urlsplit(url).path
        if "." in path.rsplit("/", 1)[-1]:
            assert (PWA / path.lstrip("/")).is_file(), url
        assert web.get(url.replace("__BUILD__", "x")).status_code == 200, url


def test_everything_the_app_needs_offline_is_in_the_shell_list():
    """Versioned files of the page, every module and both languages are precached."""
    html = (PWA / "index.html").read_text()
    needed = set(re.findall(r'(?:src|href)="(/[^"]*\?v=__BUILD__)"', html))
    needed |= {f"/{m.relative_to(PWA).as_posix()}?v=__BUILD__" for m in modules()}
    needed -= {"/sw.js?v=__BUILD__"}
    needed |= {f"/i18n/{p.name}?v=__BUILD__" for p in (PWA / "i18n").glob("*.json")}
    needed |= {"/", "/offline.html"}
    assert sorted(needed - set(shell_list())) == []


def test_first_visit_fits_the_budget(web, client):
    """Every byte the first visit fetches, gzipped as served: shell, worker, data.

    The page's own requests and the worker's precache hit the same versioned URLs, so
    the HTTP cache serves the second fetch; each file counts once (scripts/audit.py
    measures the same in Chromium).
    """
    urls = ["/sw.js", "/api/v1/emergencies", "/api/v1/trades"]
    build = web.application.extensions["web_assets"].build
    urls += [u.replace("__BUILD__", build) for u in shell_list()]
    total = 0
    for url in urls:
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        # Headers count too: the CSP alone is some 400 bytes on every response.
        headers = sum(len(k) + len(v) + 4 for k, v in response.headers.items())
        total += len("HTTP/1.1 200 OK\r\n") + headers + len(response.data)
    assert total <= BUDGET_BYTES, f"first visit transfers {total} bytes"


def test_no_third_party_requests_are_possible():
    """No URL of another host anywhere in the app: no fonts, CDNs, tiles or analytics."""
    allowed = {"http://www.w3.org/2000/svg"}
    for path in text_files():
        for url in re.findall(r"https?://[^\s\"'<>)]+", path.read_text()):
            assert url in allowed, f"{path.name}: {url}"


def test_pages_need_no_inline_script_or_style():
    """The CSP forbids inline code; none may appear in markup."""
    for path in text_files():
        if path.suffix != ".html":
            continue
        html = path.read_text()
        assert "<style" not in html, path.name
        assert re.search(r"\sstyle=", html) is None, path.name
        assert re.search(r"\son[a-z]+=", html) is None, path.name
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"{path.name}: inline script"


def test_page_allows_zoom_and_declares_german():
    html = (PWA / "index.html").read_text()
    assert '<html lang="de"' in html
    assert "user-scalable" not in html and "maximum-scale" not in html


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_manifest_is_installable(web):
    manifest = json.loads(web.get("/manifest.webmanifest").data)
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    purposes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        response = web.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            width, height = _png_size(response.data)
            assert f"{width}x{height}" == icon["sizes"]
