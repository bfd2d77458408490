"""The offline gazetteer: coverage of the postcode data, lookups, and autocomplete."""

from __future__ import annotations

import math
import random
import threading
import timeit

import pytest

from backend.geo import gazetteer as places
from backend.geo.gazetteer import (
    LAND_NAMES,
    autocomplete_places,
    find_places_by_name,
    gazetteer_stats,
    land_for_postcode,
    nearest_postcode,
    resolve_postcode,
)

# Germany's bounding box, with a little margin.
LAT_RANGE, LON_RANGE = (47.2, 55.1), (5.8, 15.1)


def test_nearly_all_postcodes_are_located_by_their_town():
    stats = gazetteer_stats()
    summary = f"gazetteer counts: {stats}"
    assert stats["postcodes"] == 8159, summary  # every distinct code of the source data
    assert stats["postcodes_locality"] + stats["postcodes_approx"] == stats["postcodes"], summary
    assert stats["postcodes_locality"] >= 7700, summary
    assert stats["postcodes_approx"] <= 460, summary
    assert stats["places"] >= 12000, summary


def test_every_postcode_and_place_lies_in_germany_with_a_land():
    gazetteer = places._load()
    for place in [*gazetteer.postcodes.values(), *gazetteer.places]:
        assert LAT_RANGE[0] < place.lat < LAT_RANGE[1], place
        assert LON_RANGE[0] < place.lon < LON_RANGE[1], place
        assert place.land in LAND_NAMES, place
        assert place.precision in {"locality", "approx"}, place
    assert {p.land for p in gazetteer.postcodes.values()} == set(LAND_NAMES)


def test_land_names_cover_the_sixteen_laender():
    assert len(LAND_NAMES) == 16
    assert LAND_NAMES["ST"] == "Sachsen-Anhalt"
    assert LAND_NAMES["NI"] == "Niedersachsen"


@pytest.mark.parametrize(
    ("code", "name", "land", "lat", "lon"),
    [
        ("38820", "Halberstadt", "ST", 51.896, 11.047),
        ("06484", "Quedlinburg", "ST", 51.79, 11.14),
        ("39418", "Staßfurt", "ST", 51.855, 11.58),
        ("38640", "Goslar", "NI", 51.906, 10.429),
        ("10115", "Berlin", "BE", 52.52, 13.40),
        ("80331", "München", "BY", 48.137, 11.575),
        ("99084", "Erfurt", "TH", 50.98, 11.03),
    ],
)
def test_known_postcodes(code, name, land, lat, lon):
    place = resolve_postcode(code)
    assert place is not None
    assert (place.name, place.postcode, place.land, place.kind) == (name, code, land, "postcode")
    assert place.precision == "locality"
    assert place.lat == pytest.approx(lat, abs=0.03)
    assert place.lon == pytest.approx(lon, abs=0.03)
    assert land_for_postcode(code) == land


def test_postcode_shared_by_two_laender_takes_the_land_of_its_main_town():
    # 15569 lists Berlin and Woltersdorf; it is Woltersdorf's code, in Brandenburg.
    place = resolve_postcode("15569")
    assert (place.name, place.land) == ("Woltersdorf", "BB")


@pytest.mark.parametrize("code", ["3882", "388200", "abcde", "", "00000"])
def test_unknown_postcodes(code):
    assert resolve_postcode(code) is None
    assert land_for_postcode(code) is None


def test_postcode_lookup_ignores_surrounding_spaces():
    assert resolve_postcode(" 38820 ").name == "Halberstadt"


@pytest.mark.parametrize("query", ["Staßfurt", "staßfurt", "Stassfurt", "STASSFURT", " stassfurt "])
def test_names_match_regardless_of_case_umlauts_and_spaces(query):
    assert [(p.name, p.land) for p in find_places_by_name(query)] == [("Staßfurt", "ST")]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("quedlinburg", "Quedlinburg"),
        ("Goettingen", "Göttingen"),
        ("gottingen", "Göttingen"),
        ("Munich", "München"),
        ("Halle an der Saale", "Halle (Saale)"),
        ("Blankenburg (Harz)", "Blankenburg"),
        ("Oschersleben (Bode)", "Oschersleben"),
        ("Sankt Ingbert", "St. Ingbert"),
        ("Frankfurt/Main", "Frankfurt am Main"),
    ],
)
def test_name_variants(query, name):
    assert find_places_by_name(query)[0].name == name


def test_ambiguous_name_gives_every_place_most_populous_first():
    found = find_places_by_name("Neustadt")
    assert len(found) >= 10
    assert all(p.name.startswith("Neustadt") for p in found)
    assert found[0].name == "Neustadt an der Weinstraße"
    populations = [p.population for p in found]
    assert populations == sorted(populations, reverse=True)
    assert len({p.land for p in found}) >= 5


def test_bare_name_finds_qualified_towns():
    names = [p.name for p in find_places_by_name("Halle")]
    assert names[:2] == ["Halle (Saale)", "Halle (Westf.)"]


def test_unknown_name_finds_nothing():
    assert find_places_by_name("Atlantis an der Bode") == []
    assert find_places_by_name("   ") == []


def test_autocomplete_by_postcode_prefix_lists_codes_in_order():
    found = autocomplete_places("3882")
    codes = [p.postcode for p in found]
    assert codes[:2] == ["38820", "38822"]
    assert codes == sorted(codes)
    assert all(code.startswith("3882") for code in codes)
    assert found[0].name == "Halberstadt"
    assert all(p.kind == "postcode" for p in found)


def test_autocomplete_by_postcode_prefix_and_town():
    found = autocomplete_places("06 Qued")
    assert [p.postcode for p in found] == ["06484", "06485"]
    assert {p.name for p in found} == {"Quedlinburg"}


def test_autocomplete_by_town_prefix_most_populous_first():
    assert autocomplete_places("Quedl")[0].name == "Quedlinburg"
    found = autocomplete_places("Hal", limit=20)
    assert len(found) == 20
    assert found[0].name == "Halle (Saale)"
    assert "Halberstadt" in [p.name for p in found]
    populations = [p.population for p in found]
    assert populations == sorted(populations, reverse=True)
    assert all(p.kind == "place" for p in found)


@pytest.mark.parametrize("query", ["staß", "STASS", "Stassf"])
def test_autocomplete_ignores_case_and_sharp_s(query):
    assert "Staßfurt" in [p.name for p in autocomplete_places(query, limit=20)]


def test_autocomplete_respects_limit_and_empty_queries():
    assert len(autocomplete_places("B", limit=3)) == 3
    assert len(autocomplete_places("b", limit=50)) == 50  # beyond the precomputed ranking
    assert len({id(p) for p in autocomplete_places("b", limit=50)}) == 50
    assert autocomplete_places("", limit=5) == []
    assert autocomplete_places("  ") == []
    assert autocomplete_places("Hal", limit=0) == []
    assert autocomplete_places("Xqzv") == []


@pytest.mark.bench
def test_autocomplete_is_cheap_enough_for_every_keystroke():
    autocomplete_places("warm up")
    queries = ["3", "3882", "388 Hal", "q", "Quedl", "b", "Hal", "Stassf", "goett"]
    seconds = timeit.timeit(lambda: [autocomplete_places(q) for q in queries], number=200)
    per_call_ms = seconds / (200 * len(queries)) * 1000
    assert per_call_ms < 1.0, f"{per_call_ms:.3f} ms per autocomplete call"


def test_nearest_postcode_to_a_gps_fix():
    assert nearest_postcode(51.8958, 11.0467).name == "Halberstadt"


def test_nearest_postcode_agrees_with_a_full_scan():
    # The box reaches abroad and out to sea, where the grid falls back to a full scan.
    rng = random.Random(8159)
    codes = list(places._load().postcodes.values())
    for _ in range(300):
        lat, lon = rng.uniform(46.5, 55.5), rng.uniform(5.0, 16.0)
        scale = math.cos(math.radians(lat)) ** 2
        expected = min(codes, key=lambda p: (p.lat - lat) ** 2 + scale * (p.lon - lon) ** 2)
        assert nearest_postcode(lat, lon) == expected, (lat, lon)


def test_gazetteer_is_loaded_once_even_under_concurrent_first_use(monkeypatch):
    monkeypatch.setattr(places, "_gazetteer", None)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(places._load())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8
    assert len({id(g) for g in seen}) == 1
