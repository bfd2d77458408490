"""Search rules: candidates, distance, availability by hours, emergency hours and roster."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from geopy.distance import great_circle
from sqlalchemy import column, insert, select, table, text
from sqlalchemy.exc import DBAPIError

from backend.businesses.models import Business, BusinessTrade, lat_cell, lat_cell_of
from backend.core.driver_statements import DriverStatement, fetch_rows
from backend.extensions import db
from backend.geo.distance import distances_from, great_circle_km
from backend.search.nearest import SearchQuery, find_available_businesses
from backend.search.statements import business_statement, links_statement, padded_ids
from tests import factories

BERLIN = ZoneInfo("Europe/Berlin")
HALBERSTADT = (51.8958, 11.0467)
LOOKAHEAD = timedelta(days=14)


def search(*, trades=("klempner",), at=None, point=HALBERSTADT, **options):
    """Run a search from Halberstadt on a Wednesday 10:00 unless told otherwise."""
    ids = tuple(factories.trade(slug).id for slug in trades)
    query = SearchQuery(
        lat=point[0], lon=point[1], trade_ids=ids,
        at=at or datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN), **options,
    )  # fmt: skip
    return find_available_businesses(query, max_service_radius_km=150, lookahead=LOOKAHEAD)


def names(hits):
    return [db.session.get(Business, hit.business_id).name for hit in hits]


def test_nearest_first_then_by_name(app_context):
    factories.business(name="B far", lat=51.95, lon=11.0467)
    factories.business(name="Z near", lat=51.90, lon=11.0467)
    factories.business(name="A near", lat=51.90, lon=11.0467)
    assert names(search()) == ["A near", "Z near", "B far"]


def test_distance_is_geopy_great_circle(app_context):
    factories.business(lat=51.7917, lon=11.1472)
    (hit,) = search()
    assert hit.distance_km == pytest.approx(
        great_circle(HALBERSTADT, (51.7917, 11.1472)).km, abs=1e-9
    )


def test_service_radius_limits_candidates(app_context):
    # Quedlinburg is about 13.2 km from Halberstadt.
    factories.business(name="reaches", lat=51.7917, lon=11.1472, service_radius_km=13.5)
    factories.business(name="too small radius", lat=51.7917, lon=11.1472, service_radius_km=13.0)
    assert names(search()) == ["reaches"]


def test_radius_km_caps_distance(app_context):
    factories.business(name="near", lat=51.90, lon=11.05)
    factories.business(name="quedlinburg", lat=51.7917, lon=11.1472)
    assert names(search(radius_km=5)) == ["near"]


def test_inactive_and_other_trades_are_not_candidates(app_context):
    factories.business(name="inactive", active=False)
    factories.business(name="electrician", trades=("elektrotechniker",))
    factories.business(name="plumber")
    assert names(search()) == ["plumber"]


def test_emergency_with_several_trades_lists_each_business_once(app_context):
    factories.business(name="both", trades=("installateur-heizungsbauer", "klempner"))
    assert names(search(trades=("installateur-heizungsbauer", "klempner"))) == ["both"]


def test_closed_business_only_with_available_any(app_context):
    factories.business(name="open", opening_hours="Mo-Fr 08:00-17:00")
    factories.business(name="closed", opening_hours="Sa 08:00-12:00")
    night = datetime(2026, 11, 25, 23, 40, tzinfo=BERLIN)
    assert names(search()) == ["open"]
    assert names(search(at=night)) == []
    hits = search(at=night, only_available=False)
    assert sorted(names(hits)) == ["closed", "open"]
    assert not any(hit.availability.available for hit in hits)
    by_name = dict(zip(names(hits), hits, strict=True))
    assert by_name["open"].availability.next_available == datetime(
        2026, 11, 26, 8, 0, tzinfo=BERLIN
    )
    assert by_name["closed"].availability.next_available == datetime(
        2026, 11, 28, 8, 0, tzinfo=BERLIN
    )


def test_available_until_end_of_opening_hours(app_context):
    factories.business(opening_hours="Mo-Fr 08:00-17:00")
    (hit,) = search()
    assert hit.availability.available
    assert hit.availability.available_until == datetime(2026, 11, 25, 17, 0, tzinfo=BERLIN)
    assert hit.availability.next_available is None


def test_emergency_hours_make_available_and_24_7_has_no_end(app_context):
    factories.business(name="24/7", opening_hours="Mo-Fr 08:00-17:00", emergency_hours="24/7")
    night = datetime(2026, 11, 25, 23, 40, tzinfo=BERLIN)
    (hit,) = search(at=night)
    assert hit.availability.available and hit.availability.available_until is None
    assert not hit.availability.on_duty


def test_roster_shift_crossing_midnight_overrides_closed_hours(app_context):
    business = factories.business(opening_hours="Mo-Fr 08:00-17:00; PH off")
    start = datetime(2026, 11, 27, 18, 0, tzinfo=BERLIN)  # Friday evening
    factories.shift(business, "klempner", start, datetime(2026, 11, 30, 7, 0, tzinfo=BERLIN))
    (hit,) = search(at=datetime(2026, 11, 29, 0, 30, tzinfo=BERLIN))
    assert hit.availability.on_duty and hit.availability.available
    # The shift ends Monday 07:00 and the opening hours start at 08:00: a gap.
    assert hit.availability.available_until == datetime(2026, 11, 30, 7, 0, tzinfo=BERLIN)


def test_roster_shift_for_another_trade_does_not_count(app_context):
    business = factories.business(trades=("klempner", "dachdecker"), opening_hours="Sa 09:00-10:00")
    start = datetime(2026, 11, 27, 18, 0, tzinfo=BERLIN)
    factories.shift(business, "dachdecker", start, start + timedelta(days=2))
    assert search(at=start + timedelta(hours=2)) == []
    assert len(search(trades=("dachdecker",), at=start + timedelta(hours=2))) == 1


def test_public_holiday_of_the_business_land(app_context):
    # 6 January is a holiday in Sachsen-Anhalt, not in Lower Saxony.
    factories.business(name="ST", land="ST", opening_hours="Mo-Fr 08:00-17:00; PH off")
    factories.business(name="NI", land="NI", opening_hours="Mo-Fr 08:00-17:00; PH off")
    epiphany = datetime(2027, 1, 6, 10, 0, tzinfo=BERLIN)
    assert names(search(at=epiphany)) == ["NI"]
    reformation = datetime(2027, 11, 1, 10, 0, tzinfo=BERLIN)  # Monday after 31 Oct: no holiday
    assert sorted(names(search(at=reformation))) == ["NI", "ST"]


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        # Spring forward 2027-03-28: 02:00-03:00 does not exist; 01:59 and 03:00 are 1 minute apart.
        ("2027-03-28T01:30:00+01:00", True),
        ("2027-03-28T03:30:00+02:00", False),
        # Fall back 2026-10-25: 02:30 happens twice; both are inside 00:00-03:00.
        ("2026-10-25T02:30:00+02:00", True),
        ("2026-10-25T02:30:00+01:00", True),
        ("2026-10-25T03:30:00+01:00", False),
    ],
)
def test_daylight_saving_switches(app_context, local, expected):
    factories.business(opening_hours="Su 00:00-03:00")
    assert bool(search(at=datetime.fromisoformat(local))) is expected


def test_limit_returns_nearest(app_context):
    for i in range(8):
        factories.business(name=f"b{i}", lat=51.8958 + 0.01 * i, lon=11.0467, commit=False)
    from backend.extensions import db

    db.session.commit()
    assert names(search(limit=3)) == ["b0", "b1", "b2"]


def test_far_rings_are_searched_when_near_ones_are_empty(app_context):
    factories.business(name="80 km away", lat=51.8958 + 0.72, lon=11.0467, service_radius_km=100)
    assert names(search()) == ["80 km away"]


def test_businesses_on_both_sides_of_a_latitude_band_border(app_context):
    # 51.9 degrees is a border between two index bands (1/20 degree each).
    border = 51.9
    assert lat_cell_of(border - 0.001) + 1 == lat_cell_of(border + 0.001)
    factories.business(name="north", lat=border + 0.001, lon=11.0467)
    factories.business(name="south", lat=border - 0.002, lon=11.0467)
    factories.business(name="on the border", lat=border, lon=11.0467)
    assert names(search(point=(border, 11.0467))) == ["on the border", "north", "south"]


def test_southern_latitudes(app_context):
    # The API accepts any coordinates; the band arithmetic must hold below the equator.
    cape_town = (-33.9249, 18.4241)
    factories.business(name="near", lat=-33.93, lon=18.43)
    factories.business(name="farther", lat=-34.05, lon=18.43)
    assert names(search(point=cape_town)) == ["near", "farther"]


@pytest.mark.parametrize(
    "lat", [-90.0, -33.9249, -0.05, -1e-9, 0.0, 0.05, 47.27, 51.85, 51.9, 55.0583, 89.99, 90.0]
)
def test_database_and_python_agree_on_the_latitude_band(app_context, lat):
    factories.business(lat=lat, lon=11.0467)
    stored, band = db.session.execute(select(BusinessTrade.lat, lat_cell(BusinessTrade.lat))).one()
    assert stored == lat
    assert band == lat_cell_of(lat)


def test_ring_statement_seeks_each_latitude_band_in_the_index(app_context):
    _links_all_over_germany(3000)
    params = {
        "trade_0": factories.trade("klempner").id, "cell_0": 2837, "cell_1": 2838,
        "min_lat": 51.89, "max_lat": 51.91, "min_lon": 11.03, "max_lon": 11.06,
        "inner_min_lat": 1.0, "inner_max_lat": -1.0, "inner_min_lon": 1.0, "inner_max_lon": -1.0,
    }  # fmt: skip
    if db.engine.dialect.name == "sqlite":
        plan = _explain("EXPLAIN QUERY PLAN", links_statement(1, 2), params)
        assert [row[-1] for row in plan] == [
            "SEARCH business_trades USING COVERING INDEX ix_business_trades_trade_cell "
            "(trade_id=? AND <expr>=? AND lon>? AND lon<?)"
        ]
    else:
        # Without statistics PostgreSQL may seek (trade_id, lon) and filter the band.
        db.session.execute(text("ANALYZE business_trades"))
        scan, index_cond = [row[0] for row in _explain("EXPLAIN", links_statement(1, 2), params)]
        assert scan.startswith("Index Only Scan using ix_business_trades_trade_cell")
        assert index_cond.startswith("  Index Cond: ((trade_id = ")
        band = "(lat + '90'::double precision) * '20'::double precision)))::integer) = ANY ("
        assert band in index_cond
        assert "(lon >= '11.03'::double precision)" in index_cond


def test_distances_equal_geopy_great_circle_to_the_last_bit():
    rng = random.Random(7)
    for _ in range(2000):
        origin = (rng.uniform(-89, 89), rng.uniform(-179, 179))
        point = (rng.uniform(-89, 89), rng.uniform(-179, 179))
        expected = great_circle(origin, point).km
        assert distances_from(*origin)(*point) == expected
        assert great_circle_km(*origin, *point) == expected


def test_rows_from_the_cursor_equal_connection_execute(app_context):
    with_shift = factories.business(trades=("klempner", "dachdecker"))
    start = datetime(2026, 11, 27, 18, 0, tzinfo=BERLIN)
    factories.shift(with_shift, "dachdecker", start, start + timedelta(hours=60))
    without = factories.business()
    params = {"since": start - timedelta(days=1), **padded_ids([with_shift.id, without.id], 8)}
    connection = db.session.connection()
    statement = business_statement(8)
    expected = sorted(tuple(row) for row in connection.execute(statement, params))
    assert sorted(tuple(row) for row in fetch_rows(connection, statement, params)) == expected
    assert {row[7] for row in expected} == {None, start}  # an aware datetime, converted


def test_driver_errors_are_sqlalchemy_errors(app_context):
    statement = select(column("x")).select_from(table("no_such_table"))
    with pytest.raises(DBAPIError):
        fetch_rows(db.session.connection(), statement, {})


def _explain(prefix: str, statement, params: dict) -> list:
    """The plan rows of ``statement`` exactly as the search sends it to the driver."""
    connection = db.session.connection()
    driver = DriverStatement.of(statement, connection.dialect)
    args = params if driver.order is None else tuple(params[name] for name in driver.order)
    return connection.exec_driver_sql(f"{prefix} {driver.sql}", args).all()


def _links_all_over_germany(count: int) -> None:
    """``count`` plumbers spread evenly over Germany, inserted in bulk."""
    rng = random.Random(count)
    guild_id, trade_id = factories.guild().id, factories.trade("klempner").id
    points = [(rng.uniform(47.3, 55.0), rng.uniform(5.9, 15.0)) for _ in range(count)]
    ids = db.session.scalars(
        insert(Business).returning(Business.id, sort_by_parameter_order=True),
        [
            {"guild_id": guild_id, "ref": f"S-{i}", "name": f"S {i}", "land": "ST",
             "lat": lat, "lon": lon, "phone": "+4939411234567"}
            for i, (lat, lon) in enumerate(points)
        ],
    ).all()  # fmt: skip
    db.session.execute(
        insert(BusinessTrade),
        [
            {"business_id": business_id, "trade_id": trade_id, "lat": lat, "lon": lon}
            for business_id, (lat, lon) in zip(ids, points, strict=True)
        ],
    )
    db.session.commit()
