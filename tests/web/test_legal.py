"""Impressum and Datenschutz come from the [OPERATOR] configuration block."""

from __future__ import annotations

import pytest

from backend import create_app


@pytest.fixture(scope="module")
def web(app):
    return app.test_client()


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/impressum", "de", "Impressum"),
        ("/en/imprint", "en", "Legal notice"),
        ("/datenschutz", "de", "Datenschutzerklärung"),
        ("/en/privacy", "en", "Privacy notice"),
    ],
)
def test_legal_pages_show_the_operator(web, app, path, lang, heading):
    response = web.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Content-Language"] == lang
    assert response.headers["Cache-Control"] == "no-cache"
    html = web.get(path).get_data(as_text=True)
    operator = app.config["OPERATOR"]
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    for field in ("name", "street", "city", "email"):
        assert operator[field] in html
    assert 'href="tel:112"' in html and 'href="tel:110"' in html


def test_impressum_names_representative_and_register(web, app):
    html = web.get("/impressum").get_data(as_text=True)
    assert app.config["OPERATOR"]["representative"] in html
    assert app.config["OPERATOR"]["register"] in html


def test_privacy_states_retention_and_contact(web, app):
    html = web.get("/datenschutz").get_data(as_text=True)
    assert f"{app.config['CALL_EVENT_RETENTION_DAYS']} Tage" in html
    assert app.config["OPERATOR"]["privacy_contact"] in html
    assert "keine Cookies" in html


def test_pages_link_to_each_other_language(web):
    assert 'href="/en/imprint"' in web.get("/impressum").get_data(as_text=True)
    assert 'href="/datenschutz"' in web.get("/en/privacy").get_data(as_text=True)


def test_operator_change_shows_and_changes_the_build(app, tmp_path):
    operator = {**app.config["OPERATOR"], "name": "Kreishandwerkerschaft Neuland"}
    other = create_app(
        {"TESTING": True, "OPERATOR": operator, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert "Kreishandwerkerschaft Neuland" in other.test_client().get("/impressum").text
    # The legal pages are in the offline shell: the service worker must update with them.
    assert other.extensions["web_assets"].build != app.extensions["web_assets"].build


def test_markup_is_escaped(app):
    operator = {**app.config["OPERATOR"], "name": "<script>x</script>"}
    other = create_app(
        {"TESTING": True, "OPERATOR": operator, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert "<script>x</script>" not in other.test_client().get("/impressum").text


def test_pages_are_described_and_name_their_translation_absolutely(app, web):
    html = web.get("/datenschutz").get_data(as_text=True)
    base = app.config["PUBLIC_BASE_URL"]
    assert '<meta name="description" content="Datenschutzerklärung' in html
    assert f'hreflang="de" href="{base}/datenschutz"' in html
    assert f'hreflang="en" href="{base}/en/privacy"' in html


@pytest.mark.parametrize(
    ("path", "heading"), [("/impressum", "Datenquellen"), ("/en/imprint", "Data sources")]
)
def test_open_data_sources_are_credited(client, path, heading):
    html = client.get(path).get_data(as_text=True)
    assert heading in html
    assert "GeoNames" in html and "CC BY 4.0" in html and "ODbL 1.0" in html


def test_privacy_notice_states_how_long_answers_are_cached(client, app):
    seconds = app.config["SEARCH_CACHE_TTL_S"]
    assert f"höchstens {seconds} Sekunden" in client.get("/datenschutz").get_data(as_text=True)
    assert f"at most {seconds} seconds" in client.get("/en/privacy").get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "lang", "heading", "words"),
    [
        ("/barrierefreiheit", "de", "Erklärung zur Barrierefreiheit",
         ("Stand der Vereinbarkeit", "teilweise barrierefrei", "Bekannte Einschränkungen",
          "Feedback und Kontakt", "Durchsetzungsverfahren", "BITV 2.0", "/widget/")),
        ("/en/accessibility", "en", "Accessibility statement",
         ("State of conformance", "partially conformant", "Known limits",
          "Feedback and contact", "Enforcement procedure", "BITV 2.0", "/widget/")),
    ],
)  # fmt: skip
def test_accessibility_statement_covers_what_bitv_asks(web, app, path, lang, heading, words):
    response = web.get(path)
    assert response.status_code == 200 and response.headers["Content-Language"] == lang
    html = response.get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html
    for word in words:
        assert word in html, word
    settings = app.config["ACCESSIBILITY"]
    assert f'href="mailto:{settings["feedback_email"]}"' in html
    assert settings["enforcement_name"] in html and settings["enforcement_url"] in html


def test_accessibility_statement_is_linked_from_legal_pages_and_the_app(web):
    assert 'href="/barrierefreiheit"' in web.get("/impressum").get_data(as_text=True)
    assert 'href="/en/accessibility"' in web.get("/en/privacy").get_data(as_text=True)
    assert 'href="/barrierefreiheit"' in web.get("/").get_data(as_text=True)
