"""The one search operation: what every channel gets from ``find_help``."""

from __future__ import annotations

from datetime import datetime

import pytest

from backend.geo.locations import LocationError
from backend.hours import BERLIN
from backend.reference.catalogue import UnknownSlug
from backend.search.operation import SearchRequest, find_help, listed_results
from backend.search.render_json import search_result_json
from tests import factories

WEDNESDAY_10 = datetime(2026, 12, 2, 10, 0, tzinfo=BERLIN)


def test_resolves_place_subject_and_finds_the_nearest_first(app_context):
    near = factories.business(name="Nah (Demo)", lat=51.90, lon=11.05, trades=("klempner",))
    far = factories.business(name="Fern (Demo)", lat=51.95, lon=11.10, trades=("klempner",))
    factories.business(name="Elektro (Demo)", lat=51.90, lon=11.05, trades=("elektrotechniker",))
    result = find_help(SearchRequest(postcode="38820", emergency="wasser", at=WEDNESDAY_10))
    assert result.location.resolved_by == "postcode"
    assert result.category.slug == "wasser"
    assert {t.slug for t in result.trades} == {"installateur-heizungsbauer", "klempner"}
    assert result.safety is not None
    assert [hit.business_id for hit in result.hits] == [near.id, far.id]
    listed = listed_results(result)
    assert [entry["name"] for entry in listed] == ["Nah (Demo)", "Fern (Demo)"]
    assert listed[0]["distance_km"] < listed[1]["distance_km"]
    assert listed[0]["phone_e164"].startswith("+49")
    assert listed[0]["available"] is True


def test_advice_only_category_has_no_hits_but_safety(app_context):
    factories.business(lat=51.90, lon=11.05, trades=("installateur-heizungsbauer",))
    result = find_help(SearchRequest(postcode="38820", emergency="gasgeruch", at=WEDNESDAY_10))
    assert result.trades == ()
    assert result.hits == []
    assert result.safety is not None
    assert listed_results(result) == []


def test_json_renderer_and_plain_listing_show_the_same_businesses(app_context):
    factories.business(name="Eins (Demo)", lat=51.90, lon=11.05)
    result = find_help(SearchRequest(lat=51.9, lon=11.0, trade="klempner", at=WEDNESDAY_10))
    body = search_result_json(result).decode()
    for entry in listed_results(result):
        assert entry["name"] in body


@pytest.mark.parametrize(
    ("request_", "error"),
    [
        (SearchRequest(postcode="38820", emergency="flut"), UnknownSlug),
        (SearchRequest(postcode="38820", trade="bäcker"), UnknownSlug),
        (SearchRequest(place="Nirgendwo am See", trade="klempner"), LocationError),
    ],
)
def test_unknown_subject_or_place_is_an_error_every_channel_can_explain(
    app_context, request_, error
):
    with pytest.raises(error):
        find_help(request_)
