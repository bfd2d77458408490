"""Address geocoding against a real local Nominatim-style server, and the gazetteer fallback."""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from backend.geo.geocoding import Location, PlaceNotFound, locate_address

HALBERSTADT_HIT = {
    "place_id": 1,
    "lat": "51.8951",
    "lon": "11.0431",
    "display_name": "Fischmarkt 1, 38820 Halberstadt, Sachsen-Anhalt, Deutschland",
    "address": {"postcode": "38820", "state": "Sachsen-Anhalt", "ISO3166-2-lvl4": "DE-ST"},
}


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers GET .../search like Nominatim, in the mode the test sets on the server."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.requests.append(
            {"path": url.path, "query": parse_qs(url.query), "agent": self.headers["User-Agent"]}
        )
        mode = self.server.mode
        if mode == "slow":
            time.sleep(3.0)
        if mode == "error":
            self.send_error(503, "Service Unavailable")
            return
        if mode == "garbage":
            body = b"<html>maintenance</html>"
        else:
            body = json.dumps(self.server.results if mode in ("ok", "slow") else []).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting ("slow" mode): exactly what the test wants

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def server():
    """A real HTTP server on a random local port, shared by this module's tests."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def nominatim(server):
    """The server reset to answer with the Halberstadt hit; yields its base URL."""
    server.mode, server.results, server.requests = "ok", [HALBERSTADT_HIT], []
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def test_geocoder_answers_street_addresses(server, nominatim):
    loc = locate_address(
        "Fischmarkt 1", "38820", "Halberstadt", geocoder_url=nominatim, user_agent="test-suite"
    )
    assert loc == Location(51.8951, 11.0431, "ST", "geocoder")
    [request] = server.requests
    assert request["path"] == "/search"
    assert request["agent"] == "test-suite"
    query = request["query"]
    assert query["street"] == ["Fischmarkt 1"]
    assert query["postalcode"] == ["38820"]
    assert query["city"] == ["Halberstadt"]
    assert query["countrycodes"] == ["de"]
    assert query["format"] == ["json"]


def test_geocoder_url_may_carry_a_path_prefix(server, nominatim):
    loc = locate_address("Fischmarkt 1", "38820", None, geocoder_url=nominatim + "/nominatim/")
    assert loc.source == "geocoder"
    assert server.requests[0]["path"] == "/nominatim/search"


def test_land_follows_the_postcode_not_the_geocoder(server, nominatim):
    server.results = [{**HALBERSTADT_HIT, "address": {"ISO3166-2-lvl4": "DE-NI"}}]
    assert locate_address("Fischmarkt 1", "38820", None, geocoder_url=nominatim).land == "ST"


def test_without_postcode_the_land_comes_from_the_geocoder(server, nominatim):
    server.results = [{**HALBERSTADT_HIT, "address": {"ISO3166-2-lvl4": "DE-NI"}}]
    assert locate_address("Fischmarkt 1", None, "Halberstadt", geocoder_url=nominatim).land == "NI"
    server.results = [{key: HALBERSTADT_HIT[key] for key in ("lat", "lon", "display_name")}]
    loc = locate_address("Fischmarkt 1", None, "Halberstadt", geocoder_url=nominatim)
    assert (loc.land, loc.source) == ("ST", "geocoder")  # from the nearest postcode


@pytest.mark.parametrize("mode", ["empty", "error", "garbage"])
def test_geocoder_failure_falls_back_to_the_postcode(server, nominatim, mode, caplog):
    server.mode = mode
    caplog.set_level(logging.INFO, logger="backend.geo.geocoding")
    loc = locate_address("Fischmarkt 1", "38820", "Halberstadt", geocoder_url=nominatim)
    assert len(server.requests) >= 1
    assert (loc.source, loc.land) == ("gazetteer-postcode", "ST")
    assert (loc.lat, loc.lon) == pytest.approx((51.896, 11.047), abs=0.03)
    assert "using the gazetteer" in caplog.text
    assert "Fischmarkt" not in caplog.text  # a resident's address never reaches the log


def test_geocoder_timeout_falls_back(server, nominatim):
    server.mode = "slow"
    started = time.monotonic()
    loc = locate_address("Fischmarkt 1", "38820", None, geocoder_url=nominatim, timeout=0.2)
    assert loc.source == "gazetteer-postcode"
    assert time.monotonic() - started < 2.0  # the server would have taken 3 s


def test_geocoder_hit_far_from_the_postcode_is_ignored(server, nominatim):
    server.results = [{**HALBERSTADT_HIT, "lat": "48.137", "lon": "11.575"}]  # Munich
    loc = locate_address("Fischmarkt 1", "38820", None, geocoder_url=nominatim)
    assert loc.source == "gazetteer-postcode"


def test_geocoder_failure_falls_back_to_the_town(server, nominatim):
    server.mode = "empty"
    loc = locate_address("Marktplatz 1", None, "Quedlinburg", geocoder_url=nominatim)
    assert (loc.source, loc.land) == ("gazetteer-place", "ST")
    assert (loc.lat, loc.lon) == pytest.approx((51.79, 11.14), abs=0.03)


def test_no_request_without_geocoder_url_or_street(server, nominatim):
    assert locate_address("Fischmarkt 1", "38820", None).source == "gazetteer-postcode"
    assert locate_address(None, "38820", None, geocoder_url=nominatim).source == (
        "gazetteer-postcode"
    )
    assert server.requests == []


def test_ambiguous_town_prefers_the_one_matching_the_postcode():
    # 31599 is not a postcode, but its digits point to Neustadt am Rübenberge (31535).
    loc = locate_address(None, "31599", "Neustadt")
    assert (loc.source, loc.land) == ("gazetteer-place", "NI")
    assert (loc.lat, loc.lon) == pytest.approx((52.50, 9.46), abs=0.03)
    # Without digits the most populous Neustadt wins.
    assert locate_address(None, None, "Neustadt").land == "RP"


@pytest.mark.parametrize(
    ("street", "postcode", "city"),
    [("Hauptstraße 1", "00000", "Atlantis"), (None, None, None), ("  ", " ", "")],
)
def test_nothing_resolves(street, postcode, city):
    with pytest.raises(PlaceNotFound, match="Could not locate"):
        locate_address(street, postcode, city)


def test_place_not_found_is_a_value_error():
    assert issubclass(PlaceNotFound, ValueError)
