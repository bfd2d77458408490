"""What the privacy notice and the accessibility statement say about the widgets."""

import re

import pytest


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/datenschutz", ("Widgets in Stadtportalen", "keine Cookies", "fremden Servern",
                          "welcher Stadt", "keine IP-Adresse")),
        ("/en/privacy", ("Widgets in town portals", "no cookies", "other servers",
                         "which town", "no IP address")),
    ],
)  # fmt: skip
def test_privacy_notice_has_a_section_on_the_widgets(client, app, path, words):
    html = re.sub(r"\s+", " ", client.get(path).get_data(as_text=True))
    section = html[html.index('id="widgets"') :]
    for word in words:
        assert word in section, word
    assert f"{app.config['CALL_EVENT_RETENTION_DAYS']} " in section


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/barrierefreiheit", ("App Handwerker-Schnellruf", "Widget", "Durchsetzung", "Titel")),
        ("/en/accessibility", ("Handwerker-Schnellruf app", "widget", "enforcement", "title")),
    ],
)
def test_accessibility_statement_covers_app_and_widgets(client, path, words):
    html = re.sub(r"\s+", " ", client.get(path).get_data(as_text=True))
    for word in words:
        assert word in html, word


def test_widget_and_app_link_the_accessibility_statement(client, city):
    widget = client.get("/widget/halberstadt").get_data(as_text=True)
    assert 'href="/barrierefreiheit"' in widget
    assert 'href="/en/accessibility"' in client.get("/widget/halberstadt?lang=en").get_data(
        as_text=True
    )
    assert 'href="/barrierefreiheit"' in client.get("/").get_data(as_text=True)
