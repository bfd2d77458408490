"""``GET /widget/<city>``: categories, who can help now, safety first, framing, size."""

from __future__ import annotations

import gzip
import re

from backend.extensions import db
from backend.organisations.operations import create_city
from tests import factories
from tests.widgets.conftest import PORTAL


def page(client, path="/widget/halberstadt", **params):
    response = client.get(path, query_string=params)
    return response, response.get_data(as_text=True)


def test_chooser_lists_the_categories_with_links_that_keep_the_preset(client, city):
    response, html = page(client, lang="en", limit="3")
    assert response.status_code == 200
    assert '<html lang="en"' in html and "What happened?" in html
    assert 'href="/widget/halberstadt?lang=en&amp;limit=3&amp;emergency=wasser"' in html
    assert "Gas smell" in html or "gas" in html.lower()


def test_categories_preset_shows_only_those_in_that_order(client, city):
    _, html = page(client, categories="strom,wasser,unknown")
    tiles = re.findall(r"emergency=([a-z]+)\"", html)
    assert tiles == ["strom", "wasser"]


def test_results_put_safety_and_112_before_any_business(client, businesses):
    response, html = page(client, emergency="wasser")
    assert response.status_code == 200
    assert "Zuerst: Ihre Sicherheit" in html
    safety_call = html.index('href="tel:112">Zuerst 112 anrufen')
    first_business = html.index('class="result"')
    assert safety_call < first_business
    assert "Hauptwasserhahn" in html  # the advice of the reference data, as in the app


def test_results_show_call_link_distance_badges_and_price(client, businesses):
    _, html = page(client, emergency="wasser")
    assert 'href="tel:+493023125001"' in html
    assert f'data-call="{businesses["near"].id}"' in html
    assert "0,1 km entfernt" in html
    assert "Innungsbetrieb" in html and "Meisterbetrieb" in html
    assert "Anfahrt: 49 €" in html
    assert "Betriebe nahe Halberstadt" in html
    assert "Rohrdienst Zu" not in html  # closed: not among those who can help now


def test_all_businesses_list_available_ones_first(client, businesses):
    _, html = page(client, emergency="wasser", available="any")
    assert html.index("Sanitär Nahbei") < html.index("Rohrdienst Zu")
    assert "Zurzeit nicht erreichbar" in html or "Erreichbar ab" in html
    assert "Nur jetzt erreichbare zeigen" in html


def test_english_results(client, businesses):
    _, html = page(client, emergency="strom", lang="en")
    assert "First: your safety" in html and "Call 112 first" in html
    assert "€39.50" in html and "Master craftsman" not in html.split("Elektro Blitz")[0]
    assert "Guild member" not in html.split("Elektro Blitz")[1].split("</li>\n    </ol>")[0]


def test_gas_smell_is_advice_only(client, businesses):
    _, html = page(client, emergency="gasgeruch")
    assert "Für diesen Notfall nennen wir bewusst keinen Handwerksbetrieb." in html
    assert 'class="result"' not in html and "<form" not in html
    assert 'href="tel:112"' in html


def test_trade_widget(client, businesses):
    _, html = page(client, trade="elektrotechniker")
    assert "<h1>Elektrotechniker</h1>" in html and "Elektro Blitz" in html
    assert "Sanitär Nahbei" not in html and "Zuerst: Ihre Sicherheit" not in html


def test_get_form_searches_by_postcode_or_place(client, businesses):
    _, html = page(client, emergency="wasser", place="38820")
    assert "Betriebe nahe 38820 Halberstadt" in html
    assert 'name="place" value="38820"' in html
    assert '<input type="hidden" name="emergency" value="wasser">' in html


def test_unknown_place_is_a_specific_german_message_with_safety_still_shown(client, businesses):
    response, html = page(client, emergency="wasser", place="Atlantis")
    assert response.status_code == 422
    assert "Diesen Ort kennen wir nicht." in html and 'aria-invalid="true"' in html
    assert "Zuerst: Ihre Sicherheit" in html


def test_ambiguous_place_offers_the_candidates(client, businesses):
    response, html = page(client, emergency="wasser", place="Neustadt")
    assert response.status_code == 422
    assert "Welchen meinen Sie?" in html
    assert html.count("postcode=") >= 2


def test_unknown_emergency_and_unknown_city(client, city):
    response, html = page(client, emergency="vulkan")
    assert response.status_code == 404 and "Diesen Notfall kennen wir nicht" in html
    response, html = page(client, "/widget/atlantis")
    assert response.status_code == 404 and "gibt es nicht" in html
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_framed_by_exactly_the_registered_origins(client, city):
    response, _ = page(client)
    csp = response.headers["Content-Security-Policy"]
    # 'self': this server's own pages, i.e. the preview in the console's embed kit.
    assert csp.endswith(f"frame-ancestors {PORTAL} 'self'")
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers


def test_city_without_origin_is_framed_by_no_portal(client, city):
    create_city("wernigerode", "Wernigerode", 51.835, 10.785, actor="test")
    db.session.commit()
    response, _ = page(client, "/widget/wernigerode")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")


def test_every_other_route_keeps_frame_ancestors_none(client, city):
    for path in ("/", "/impressum", "/barrierefreiheit", "/api/v1/health", "/widget/embed.js"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


def test_nothing_from_another_host(client, businesses):
    _, html = page(client, emergency="wasser")
    for url in re.findall(r'(?:src|href|action)="([^"]+)"', html):
        assert url.startswith(("/", "tel:", "http://localhost/")), url


def test_first_view_is_at_most_15_kb_compressed(client, businesses):
    """HTML, stylesheet and script of the biggest first view (20 hits), gzipped as served."""
    for n in range(20):
        factories.business(
            name=f"Notdienst Sanitär und Heizung Nummer {n} (Demo)", opening_hours="24/7",
            trades=("klempner", "installateur-heizungsbauer"), lat=51.9 + n / 500,
            lon=11.05, phone=f"+4930231251{n:02d}", callout_price_eur=59.5,
            innungsbetrieb=True, meisterbetrieb=n % 2 == 0,
        )  # fmt: skip
    gz = {"Accept-Encoding": "gzip"}
    response = client.get("/widget/halberstadt?emergency=wasser&limit=20", headers=gz)
    html = gzip.decompress(response.data).decode()
    sizes = {"html": len(response.data)}
    for name, url in (("css", r'stylesheet" href="([^"]+)"'), ("js", r'<script src="([^"]+)"')):
        sub = client.get(re.search(url, html).group(1).replace("&amp;", "&"), headers=gz)
        assert sub.status_code == 200 and sub.headers["Content-Encoding"] == "gzip"
        sizes[name] = len(sub.data)
    assert html.count('class="result"') == 20
    total = sum(sizes.values())
    print(f"widget first view, gzipped: {sizes}, total {total} bytes")
    assert total <= 15 * 1024, sizes


def test_stylesheet_carries_the_city_colours(client, city):
    city.theme = {"primary": "#7a1f3d"}
    db.session.commit()
    _, html = page(client)
    url = re.search(r'stylesheet" href="([^"]+)"', html).group(1)
    response = client.get(url)
    assert "--w-primary:#7a1f3d" in response.get_data(as_text=True)
    assert "immutable" in response.headers["Cache-Control"]


def test_scripts_are_small_and_never_iframe_resizer(client):
    for name in ("embed.js", "frame.js"):
        body = client.get(f"/widget/{name}").get_data(as_text=True)
        assert len(body.encode()) < 2048 and "iframe-resizer" not in body.lower()
    assert "e.origin !== origin" in client.get("/widget/embed.js").get_data(as_text=True)
