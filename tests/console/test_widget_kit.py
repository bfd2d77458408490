"""The embed kit: a preset chosen by GET form, the widget itself as preview, the snippets."""

from __future__ import annotations

import html
import re

import pytest

from backend.extensions import db
from backend.organisations.operations import create_city
from tests.console.staff_helpers import make_account, sign_in


@pytest.fixture
def editor(client):
    """Signed in as the city editor of Stadt A, whose portal is registered."""
    city = create_city("stadt-a", "Stadt A", 51.8958, 11.0467,
                       allowed_origins=["https://www.stadt-a.de"], actor="test")  # fmt: skip
    db.session.commit()
    sign_in(client, make_account("city_editor", city=city))
    return city


def kit(client, query: str = "", slug: str = "stadt-a"):
    response = client.get(f"/console/widgets/{slug}{query}")
    return response, response.get_data(as_text=True)


def code(page: str, key: str) -> str:
    """The text of one snippet's text area, as a person copies it."""
    match = re.search(rf'<textarea id="code-{key}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no snippet {key}"
    return html.unescape(match[1])


def test_the_default_kit_offers_the_chooser_with_working_call_attributes(client, editor):
    response, page = kit(client)
    assert response.status_code == 200
    snippet = code(page, "html")
    assert snippet.startswith('<iframe src="http://localhost/widget/stadt-a" ')
    for attribute in ('title="Handwerker-Notdienst Stadt A"', 'loading="lazy"',
                      'allow="geolocation"', "allow-top-navigation-by-user-activation",
                      "allow-popups", "data-schnellruf-widget"):  # fmt: skip
        assert attribute in snippet, attribute
    assert snippet.endswith('<script src="http://localhost/widget/embed.js" async></script>')
    assert code(page, "typo3") == snippet  # an HTML content element takes the same markup
    assert code(page, "wordpress") == "http://localhost/widget/stadt-a"
    # The preview is the widget itself, from this server, sandboxed like the snippet.
    preview = re.search(r'<iframe class="kit-preview" src="([^"]+)"[^>]*sandbox="([^"]+)"', page)
    assert preview[1] == "/widget/stadt-a"
    assert preview[2] in snippet
    assert "https://www.stadt-a.de" in page


def test_a_fixed_emergency_with_place_limit_and_language(client, editor):
    query = "?mode=fixed&emergency=wasser&place=38820&limit=3&language=en&categories=strom"
    response, page = kit(client, query)
    assert response.status_code == 200
    url = "http://localhost/widget/stadt-a?lang=en&limit=3&fixed=1&emergency=wasser&postcode=38820"
    assert code(page, "wordpress") == url
    assert code(page, "html").startswith(f'<iframe src="{url.replace("&", "&amp;")}" ')
    assert 'title="Emergency tradespeople Stadt A"' in code(page, "html")
    assert 'src="/widget/stadt-a?lang=en&amp;limit=3&amp;fixed=1&amp;emergency=wasser' in page
    # The preview answers with exactly what the portal will show.
    widget = client.get("/widget/stadt-a?lang=en&limit=3&fixed=1&emergency=wasser&postcode=38820")
    assert widget.status_code == 200 and "Burst pipe" in widget.get_data(as_text=True)


def test_the_chooser_with_some_categories(client, editor):
    _, page = kit(client, "?mode=chooser&categories=wasser&categories=strom&limit=5&language=de")
    assert code(page, "wordpress") == "http://localhost/widget/stadt-a?categories=wasser,strom"
    assert 'id="f-cat-wasser" name="categories" value="wasser" checked' in page


def test_the_snippet_is_the_one_the_oembed_endpoint_hands_out(client, editor):
    _, page = kit(client, "?mode=fixed&emergency=strom&limit=5&language=de")
    url = code(page, "wordpress")
    oembed = client.get("/oembed", query_string={"url": url, "format": "json"}).json
    assert code(page, "html").startswith(oembed["html"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?mode=fixed&limit=5&language=de", "Bitte den Notfall wählen"),
        ("?mode=chooser&limit=99&language=de", "ganze Zahl von 1 bis 20"),
        ("?mode=chooser&limit=zwei&language=de", "ganze Zahl von 1 bis 20"),
        ("?mode=chooser&limit=5&language=de&place=Atlantis", "kennt das Ortsverzeichnis nicht"),
        ("?mode=chooser&limit=5&language=de&place=Neustadt", "Postleitzahl angeben"),
    ],
)
def test_a_preset_that_cannot_work_is_explained_and_gives_no_snippet(client, editor, query,
                                                                     message):  # fmt: skip
    response, page = kit(client, query)
    assert response.status_code == 422
    assert message in page
    assert 'aria-invalid="true"' in page
    assert "<textarea" not in page and "kit-preview" not in page


def test_the_kit_in_english_and_without_a_registered_portal(client, app_context):
    city = create_city("stadt-b", "Stadt B", 51.8, 11.15, actor="test")
    db.session.commit()
    sign_in(client, make_account("city_editor", city=city))
    response, page = kit(client, "?lang=en", slug="stadt-b")
    assert response.status_code == 200
    assert "<h1>Embed the widget: Stadt B</h1>" in page
    assert "No portal is registered yet" in page
    assert 'lang="en"' in page
    assert code(page, "wordpress") == "http://localhost/widget/stadt-b"  # lang= is the console's


def test_a_city_editor_goes_straight_to_the_own_kit_and_admins_choose(client, app):
    own = create_city("stadt-a", "Stadt A", 51.9, 11.05, actor="test")
    create_city("stadt-b", "Stadt B", 51.8, 11.15, actor="test")
    db.session.commit()
    sign_in(client, make_account("city_editor", city=own))
    assert client.get("/console/widgets/").location.endswith("/console/widgets/stadt-a")
    admin = app.test_client()
    sign_in(admin, make_account("admin", email="chef@example.org"))
    page = admin.get("/console/widgets/").get_data(as_text=True)
    assert 'href="/console/widgets/stadt-a"' in page and 'href="/console/widgets/stadt-b"' in page
    assert admin.get("/console/widgets/stadt-b").status_code == 200
    assert admin.get("/console/widgets/atlantis").status_code == 404
