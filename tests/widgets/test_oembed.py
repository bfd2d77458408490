"""``GET /oembed``: the widget as a rich oEmbed with one iframe; discovery on the page."""

from html.parser import HTMLParser


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_oembed_answers_rich_with_iframe_only_html(client, city):
    url = "http://localhost/widget/halberstadt?emergency=wasser&lang=en"
    response = client.get("/oembed", query_string={"url": url, "format": "json"})
    assert response.status_code == 200
    body = response.json
    assert (body["version"], body["type"], body["provider_name"]) == (
        "1.0", "rich", "Handwerker-Schnellruf",
    )  # fmt: skip
    assert body["title"] == "Emergency tradespeople Halberstadt"
    (tag,) = parse(body["html"])
    name, attrs = tag
    assert name == "iframe" and "<script" not in body["html"]
    assert attrs["src"] == url
    assert attrs["title"] == body["title"] and attrs["loading"] == "lazy"
    assert attrs["allow"] == "geolocation"
    sandbox = attrs["sandbox"].split()
    for flag in ("allow-scripts", "allow-same-origin", "allow-top-navigation-by-user-activation",
                 "allow-popups", "allow-forms"):  # fmt: skip
        assert flag in sandbox
    assert "allow-top-navigation" not in sandbox  # only on a tap, never by script
    assert int(attrs["height"]) == body["height"]


def test_oembed_honours_maxheight(client, city):
    url = "http://localhost/widget/halberstadt"
    body = client.get("/oembed", query_string={"url": url, "maxheight": 400}).json
    assert body["height"] == 400


def test_oembed_refuses_other_urls_and_formats(client, city):
    for url in ("https://evil.example/widget/halberstadt", "http://localhost/impressum",
                "http://localhost/widget/atlantis", "not a url"):  # fmt: skip
        response = client.get("/oembed", query_string={"url": url})
        assert response.status_code == 404, url
        assert response.mimetype == "application/problem+json"
    xml = client.get("/oembed", query_string={"url": "http://localhost/widget/halberstadt",
                                              "format": "xml"})  # fmt: skip
    assert xml.status_code == 501


def test_widget_page_carries_the_discovery_link(client, city):
    html = client.get("/widget/halberstadt?emergency=wasser").get_data(as_text=True)
    links = [
        a for t, a in parse(html) if t == "link" and a.get("type") == "application/json+oembed"
    ]
    (link,) = links
    assert link["href"].startswith("http://localhost/oembed?url=")
    assert client.get(link["href"]).json["type"] == "rich"
