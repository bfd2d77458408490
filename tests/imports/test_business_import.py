"""Business CSV import and export against the real database."""

from __future__ import annotations

import csv
import io
import os
import random
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from backend.audit.models import AuditLogEntry
from backend.businesses.models import Business, BusinessTrade
from backend.extensions import db
from backend.geo.gazetteer import nearest_postcode, resolve_postcode
from backend.imports.businesses import (
    COLUMNS,
    ImportConflict,
    export_businesses_csv,
    import_businesses,
    import_businesses_csv,
)
from backend.organisations.operations import OrganisationError
from backend.reference.models import Trade
from tests.imports.import_helpers import BUSINESS_HEADER, GUILD, business, csv_bytes, make_guild

OPTIONS = {"actor": "test", "max_radius_km": 150.0}


@pytest.fixture
def guild(app_context):
    make_guild()
    return GUILD


def run(data: bytes, **options):
    """Import ``data`` into the test guild and commit, as the command does (the caller commits)."""
    report = import_businesses_csv(io.BytesIO(data), GUILD, **{**OPTIONS, **options})
    db.session.commit()
    return report


def stored(ref: str) -> Business:
    db.session.expire_all()
    return db.session.scalar(select(Business).where(Business.ref == ref))


def count_businesses() -> int:
    return db.session.scalar(select(func.count()).select_from(Business))


def trade_slugs(item: Business) -> set[str]:
    return {trade.slug for trade in item.trades}


def export_text(slug: str = GUILD) -> str:
    out = io.StringIO()
    export_businesses_csv(slug, out)
    return out.getvalue()


# --- happy path ---------------------------------------------------------------------------


def test_import_creates_businesses_with_normalised_values(guild):
    report = run(csv_bytes([business("B-1"), business("B-2", trades="glaser", lat="", lon="")]))

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged, report.written) == (2, 0, 0, True)
    item = stored("B-1")
    assert item.name == "Sanitär Müller GmbH"
    assert trade_slugs(item) == {"installateur-heizungsbauer", "klempner"}
    assert (item.street, item.postcode, item.city, item.land) == (
        "Hauptstraße 1",
        "38820",
        "Halberstadt",
        "ST",
    )
    assert (item.lat, item.lon) == (51.8957, 11.0471)
    assert item.phone == "+49394112345"
    assert item.emergency_phone == "+491711234567"
    assert item.mobile == "+491717654321"
    assert item.email == "info@mueller.example"
    assert item.website == "https://mueller.example"
    assert item.service_radius_km == 30.0
    assert item.opening_hours == "Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off"
    assert item.emergency_hours == "24/7"
    assert item.accepts_new_customers is True
    assert item.callout_price_eur == Decimal("89.50")
    assert item.innungsbetrieb is True
    assert item.meisterbetrieb is False
    assert item.version == 1
    assert item.active is True
    assert item.guild.slug == GUILD


def test_trade_links_carry_the_business_coordinates(guild):
    run(csv_bytes([business("B-1"), business("B-2", trades="glaser", lat="", lon="")]))
    for item in db.session.scalars(select(Business)):
        assert item.trade_links
        for link in item.trade_links:
            assert (link.lat, link.lon) == (item.lat, item.lon)


def test_empty_coordinates_are_found_from_the_postcode(guild):
    run(csv_bytes([business("B-1", lat="", lon="", postcode="06484", city="Quedlinburg")]))
    place = resolve_postcode("06484")
    item = stored("B-1")
    assert (item.lat, item.lon, item.land) == (place.lat, place.lon, "ST")


def test_land_comes_from_the_postcode_even_with_coordinates(guild):
    # Coordinates in Lower Saxony (Bad Harzburg, 34 km away), postcode in Saxony-Anhalt:
    # the postcode decides.
    run(csv_bytes([business("B-1", postcode="38820", lat="51.8826", lon="10.5616")]))
    assert stored("B-1").land == "ST"


def test_coordinates_far_from_the_postcode_are_refused(guild):
    # Hannover's coordinates with Halberstadt's postcode: a typo in one or the other.
    report = run(csv_bytes([business("B-1", postcode="38820", lat="52.3759", lon="9.7320")]))
    assert not report.written
    [error] = report.errors
    assert (error.line, error.column) == (2, "lat")
    assert "km von der Postleitzahl 38820 entfernt" in error.message_de


def test_coordinates_without_postcode_take_the_land_of_the_nearest_postcode(guild):
    row = business("B-1", postcode="", lat="52.3759", lon="9.7320")
    report = run(csv_bytes([row]))
    assert report.errors == []
    item = stored("B-1")
    assert item.postcode is None
    assert item.land == nearest_postcode(52.3759, 9.7320).land == "NI"


def test_file_without_postcode_column_but_with_coordinates(guild):
    header = ["ref", "name", "trades", "phone", "lat", "lon"]
    row = ["B-1", "Glaserei", "glaser", "03941 12345", "51.8957", "11.0471"]
    report = run(csv_bytes([row], header=header))
    assert report.errors == []
    assert stored("B-1").land == "ST"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03941 12345", "+49394112345"),
        ("0171 1234567", "+491711234567"),
        ("+49 (0)3941 12345", "+49394112345"),
        ("(03941) 12345", "+49394112345"),
        ("0049 3941 12345", "+49394112345"),
    ],
)
def test_german_phone_formats_are_stored_as_e164(guild, raw, expected):
    run(csv_bytes([business("B-1", phone=raw)]))
    assert stored("B-1").phone == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ja", True),
        ("nein", False),
        ("true", True),
        ("false", False),
        ("1", True),
        ("0", False),
        ("x", True),
        ("X", True),
        ("", False),
        ("Ja", True),
    ],
)
def test_yes_no_values(guild, raw, expected):
    run(csv_bytes([business("B-1", meisterbetrieb=raw, accepts_new_customers=raw)]))
    item = stored("B-1")
    assert item.meisterbetrieb is expected
    assert item.accepts_new_customers is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("89,50", Decimal("89.50")),
        ("89.50", Decimal("89.50")),
        ("89", Decimal("89.00")),
        ("89,5 €", Decimal("89.50")),
        ("", None),
    ],
)
def test_callout_price_accepts_decimal_comma_and_point(guild, raw, expected):
    run(csv_bytes([business("B-1", callout_price_eur=raw)]))
    assert stored("B-1").callout_price_eur == expected


def test_radius_accepts_decimal_comma(guild):
    run(csv_bytes([business("B-1", service_radius_km="12,5")]))
    assert stored("B-1").service_radius_km == 12.5


def test_leading_zero_dropped_by_a_spreadsheet_is_restored(guild):
    run(csv_bytes([business("B-1", postcode="1067", city="Dresden", lat="", lon="")]))
    item = stored("B-1")
    assert (item.postcode, item.land) == ("01067", "SN")


# --- file formats -------------------------------------------------------------------------


def test_utf8_with_bom(guild):
    report = run(csv_bytes([business("B-1")], bom=True))
    assert report.errors == []
    assert stored("B-1").name == "Sanitär Müller GmbH"


def test_semicolon_delimited_file_keeps_semicolons_inside_quoted_trades(guild):
    data = csv_bytes([business("B-1")], delimiter=";", bom=True)
    # What a German spreadsheet writes: the trades cell is quoted because it holds ';'.
    assert b'"installateur-heizungsbauer;klempner"' in data
    report = run(data)
    assert report.errors == []
    item = stored("B-1")
    assert trade_slugs(item) == {"installateur-heizungsbauer", "klempner"}
    assert item.callout_price_eur == Decimal("89.50")


def test_comma_delimited_file_with_unquoted_semicolons_in_trades(guild):
    data = csv_bytes([business("B-1")], delimiter=",")
    assert b",installateur-heizungsbauer;klempner," in data
    run(data)
    assert trade_slugs(stored("B-1")) == {"installateur-heizungsbauer", "klempner"}


def test_handwritten_semicolon_file_with_unix_line_ends(guild):
    data = (
        b"ref;name;trades;postcode;phone\n"
        b'B-1;Dach & Holz;"dachdecker;zimmerer";38820;03941 12345\n'
        b"B-2;Glaserei;glaser;06484;03946 98765\n"
    )
    report = run(data)
    assert report.errors == []
    assert trade_slugs(stored("B-1")) == {"dachdecker", "zimmerer"}
    assert stored("B-2").land == "ST"


def test_header_names_are_trimmed_and_case_insensitive(guild):
    data = b" Ref ,NAME,Trades,Postcode,Phone\r\nB-1,Glaserei,glaser,38820,03941 12345\r\n"
    assert run(data).errors == []


def test_blank_lines_are_skipped(guild):
    data = b"ref,name,trades,postcode,phone\r\n\r\nB-1,Glaserei,glaser,38820,03941 12345\r\n\r\n"
    report = run(data)
    assert (report.created, report.errors) == (1, [])


def test_empty_trailing_columns_from_spreadsheets_are_ignored(guild):
    data = b"ref,name,trades,postcode,phone,,\r\nB-1,Glaserei,glaser,38820,03941 12345,,\r\n"
    assert run(data).errors == []


# --- optional and missing columns ---------------------------------------------------------

MINIMAL_HEADER = ["ref", "name", "trades", "postcode", "phone"]


def test_missing_optional_columns_get_model_defaults_on_create(guild):
    report = run(
        csv_bytes([["B-1", "Glaserei", "glaser", "38820", "03941 12345"]], header=MINIMAL_HEADER)
    )
    assert report.errors == []
    item = stored("B-1")
    assert item.service_radius_km == 25.0
    assert item.accepts_new_customers is True
    assert (item.innungsbetrieb, item.meisterbetrieb) == (False, False)
    assert (item.email, item.website, item.callout_price_eur, item.street) == (None,) * 4
    place = resolve_postcode("38820")
    assert (item.lat, item.lon) == (place.lat, place.lon)


def test_missing_columns_keep_stored_values_on_update(guild):
    run(csv_bytes([business("B-1")]))
    report = run(
        csv_bytes(
            [["B-1", "Sanitär Müller KG", "klempner", "38820", "03941 54321"]],
            header=MINIMAL_HEADER,
        )
    )
    assert (report.updated, report.errors) == (1, [])
    item = stored("B-1")
    assert item.name == "Sanitär Müller KG"
    assert item.phone == "+49394154321"
    assert trade_slugs(item) == {"klempner"}
    # Untouched columns, including the precise coordinates (the address did not change):
    assert item.email == "info@mueller.example"
    assert item.callout_price_eur == Decimal("89.50")
    assert item.innungsbetrieb is True
    assert item.service_radius_km == 30.0
    assert (item.lat, item.lon) == (51.8957, 11.0471)


def test_new_address_without_coordinate_columns_is_located_again(guild):
    run(csv_bytes([business("B-1")]))
    run(
        csv_bytes(
            [["B-1", "Sanitär Müller GmbH", "klempner", "06484", "03941 12345"]],
            header=MINIMAL_HEADER,
        )
    )
    place = resolve_postcode("06484")
    item = stored("B-1")
    assert (item.lat, item.lon, item.postcode) == (place.lat, place.lon, "06484")
    assert {(link.lat, link.lon) for link in item.trade_links} == {(place.lat, place.lon)}


def test_present_but_empty_cells_clear_optional_fields(guild):
    run(csv_bytes([business("B-1")]))
    report = run(
        csv_bytes(
            [
                business(
                    "B-1",
                    email="",
                    website="",
                    mobile="",
                    street="",
                    callout_price_eur="",
                    opening_hours="",
                )
            ]
        )
    )
    assert (report.updated, report.errors) == (1, [])
    item = stored("B-1")
    assert (item.email, item.website, item.mobile, item.street) == (None,) * 4
    assert (item.callout_price_eur, item.opening_hours) == (None, None)


def test_empty_radius_keeps_the_stored_radius(guild):
    run(csv_bytes([business("B-1", service_radius_km="40")]))
    run(csv_bytes([business("B-1", service_radius_km="", name="Neuer Name")]))
    assert stored("B-1").service_radius_km == 40.0


# --- updates by ref -----------------------------------------------------------------------


def test_reimport_updates_by_ref_and_bumps_version_only_for_changed_rows(guild):
    run(csv_bytes([business("B-1"), business("B-2")]))
    before = {ref: (stored(ref).version, stored(ref).updated_at) for ref in ("B-1", "B-2")}

    report = run(csv_bytes([business("B-1"), business("B-2", phone="03941 99999")]))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert count_businesses() == 2
    assert (stored("B-1").version, stored("B-1").updated_at) == before["B-1"]
    assert stored("B-2").version == before["B-2"][0] + 1
    assert stored("B-2").updated_at > before["B-2"][1]
    assert stored("B-2").phone == "+49394199999"


def test_reimporting_the_same_file_changes_nothing(guild):
    data = csv_bytes([business("B-1"), business("B-2", lat="", lon="")])
    run(data)
    report = run(data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert {item.version for item in db.session.scalars(select(Business))} == {1}


def test_equivalent_spellings_count_as_unchanged(guild):
    run(csv_bytes([business("B-1")]))
    same = business(
        "B-1",
        phone="+49 3941 12345",
        callout_price_eur="89.5",
        innungsbetrieb="ja",
        trades="klempner;installateur-heizungsbauer",
    )
    report = run(csv_bytes([same]))
    assert (report.updated, report.unchanged) == (0, 1)


def test_changing_trades_replaces_the_trade_links(guild):
    run(csv_bytes([business("B-1", trades="klempner;glaser")]))
    run(csv_bytes([business("B-1", trades="glaser;tischler")]))
    assert trade_slugs(stored("B-1")) == {"glaser", "tischler"}
    assert db.session.scalar(select(func.count()).select_from(BusinessTrade)) == 2


def test_moving_a_business_moves_its_trade_links(guild):
    run(csv_bytes([business("B-1")]))
    run(csv_bytes([business("B-1", lat="51.9000", lon="11.1000")]))
    links = db.session.execute(select(BusinessTrade.lat, BusinessTrade.lon)).all()
    assert set(links) == {(51.9, 11.1)}
    assert len(links) == 2


def test_refs_are_per_guild(guild):
    make_guild("anhalt")
    run(csv_bytes([business("B-1")]))
    report = import_businesses_csv(io.BytesIO(csv_bytes([business("B-1")])), "anhalt", **OPTIONS)
    assert report.created == 1
    assert count_businesses() == 2


# --- bad rows -----------------------------------------------------------------------------


BAD_VALUES = [
    ("ref", "", "must not be empty"),
    ("ref", "R" * 65, "longer than 64"),
    ("name", "", "must not be empty"),
    ("trades", "", "at least one trade"),
    ("trades", "klempner;sanitaer", "unknown trade 'sanitaer'"),
    ("postcode", "3882", "unknown postcode 03882"),
    ("postcode", "388200", "not a postcode"),
    ("postcode", "99999", "unknown postcode"),
    ("lat", "11.0471", "outside Germany"),
    ("lat", "nord", "not a number"),
    ("lon", "", "both be given"),
    ("phone", "", "must not be empty"),
    ("phone", "abc", "not a phone number"),
    ("phone", "12345", "not a valid phone number"),
    ("emergency_phone", "0394", "not a valid phone number"),
    ("mobile", "03941 12345", "not a mobile number"),
    ("email", "info-at-mueller.example", "not an e-mail address"),
    ("email", "info@localhost", "not an e-mail address"),
    ("website", "www.mueller.example", "http:// or https://"),
    ("website", "ftp://mueller.example", "http:// or https://"),
    ("service_radius_km", "0", "more than 0 and at most 150 km"),
    ("service_radius_km", "-5", "more than 0"),
    ("service_radius_km", "151", "at most 150 km"),
    ("service_radius_km", "weit", "not a number"),
    ("opening_hours", "Mo-Fr 7 bis 17 Uhr", "position"),
    ("emergency_hours", "Mo-Fr 25:00-26:00", "position"),
    ("accepts_new_customers", "vielleicht", "not yes or no"),
    ("callout_price_eur", "teuer", "not an amount in euros"),
    ("callout_price_eur", "89,505", "more than two decimal places"),
    ("callout_price_eur", "-10", "between 0 and"),
    ("innungsbetrieb", "2", "not yes or no"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_VALUES)
def test_each_kind_of_bad_value_is_reported_with_line_and_column(guild, column, value, reason):
    rows = [business("B-1"), business("B-2"), {**business("B-3"), column: value}]
    report = run(csv_bytes(rows))

    assert report.written is False
    assert len(report.errors) == 1, report.errors
    error = report.errors[0]
    assert (error.line, error.column) == (4, column)
    assert reason in error.message
    assert error.message_de and error.message_de != error.message
    assert count_businesses() == 0


def test_every_bad_row_and_column_is_named(guild):
    rows = [
        business("B-1"),
        business("B-2", phone="abc", email="kaputt"),
        business("B-3"),
        business("B-4", trades="bäcker"),
    ]
    report = run(csv_bytes(rows))
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "phone"),
        (3, "email"),
        (5, "trades"),
    ]
    assert report.bad_lines == [3, 5]
    assert (report.created, report.written) == (2, False)
    assert count_businesses() == 0
    assert "Nothing written: 2 bad rows" in report.summary()


def test_line_numbers_are_physical_lines(guild):
    data = (
        "ref,name,trades,postcode,phone\n"
        "\n"  # line 2: blank
        'B-1,"Tischlerei\nund Glaserei",tischler;glaser,38820,03941 12345\n'  # lines 3-4
        "B-2,Schlüsseldienst,metallbauer,38820,kein Telefon\n"  # line 5
    ).encode()
    report = run(data)
    assert [(e.line, e.column, e.value) for e in report.errors] == [(5, "phone", "kein Telefon")]


def test_rows_with_a_wrong_number_of_fields_are_reported(guild):
    data = (
        b"ref,name,trades,postcode,phone\n"
        b"B-1,Glaserei,glaser,38820,03941 12345\n"
        b"B-2,Dach, Holz und mehr,dachdecker,38820,03941 12345\n"
    )
    report = run(data)
    assert [(e.line, e.column) for e in report.errors] == [(3, None)]
    assert "6 fields but the header has 5" in report.errors[0].message
    assert count_businesses() == 0


def test_duplicate_refs_name_both_lines(guild):
    rows = [business("B-1"), business("B-2"), business("B-1", name="Doppelt")]
    report = run(csv_bytes(rows), keep_valid=True)
    assert [(e.line, e.column) for e in report.errors] == [(2, "ref"), (4, "ref")]
    assert "also on line 4" in report.errors[0].message
    assert "also on line 2" in report.errors[1].message
    # Neither copy is written: which one is right is for a person to decide.
    assert [item.ref for item in db.session.scalars(select(Business))] == ["B-2"]


def test_keep_valid_writes_the_valid_rows_and_reports_the_bad_ones(guild):
    rows = [business("B-1"), business("B-2", website="mueller.example"), business("B-3")]
    report = run(csv_bytes(rows), keep_valid=True)
    assert report.written is True
    assert [(e.line, e.column) for e in report.errors] == [(3, "website")]
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert sorted(db.session.scalars(select(Business.ref))) == ["B-1", "B-3"]
    assert "1 bad row skipped" in report.summary()


def test_dry_run_writes_nothing_but_counts(guild):
    run(csv_bytes([business("B-1")]))
    audit_entries = db.session.scalar(select(func.count()).select_from(AuditLogEntry))
    report = run(csv_bytes([business("B-1", name="Neu"), business("B-2")]), dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert report.written is False
    assert "Dry run" in report.summary()
    assert count_businesses() == 1
    assert stored("B-1").name == "Sanitär Müller GmbH"
    assert db.session.scalar(select(func.count()).select_from(AuditLogEntry)) == audit_entries


def test_unknown_and_missing_columns_are_reported_on_line_1(guild):
    data = csv_bytes([["B-1", "Glaserei", "38820", "x"]], header=["ref", "name", "postcode", "fax"])
    report = run(data, keep_valid=True)
    assert {(e.line, e.column) for e in report.errors} == {
        (1, "fax"),
        (1, "trades"),
        (1, "phone"),
    }
    assert report.written is False
    assert count_businesses() == 0


def test_a_location_column_is_required(guild):
    data = csv_bytes(
        [["B-1", "Glaserei", "glaser", "03941 12345"]], header=["ref", "name", "trades", "phone"]
    )
    report = run(data)
    assert [(e.line, e.column) for e in report.errors] == [(1, "postcode")]


def test_row_without_postcode_or_coordinates(guild):
    report = run(csv_bytes([business("B-1", postcode="", lat="", lon="")]))
    assert [(e.line, e.column) for e in report.errors] == [(2, "postcode")]
    assert "postcode or lat and lon" in report.errors[0].message


def test_file_that_is_not_utf8_names_its_lines(guild):
    data = (
        "ref,name,trades,postcode,phone\r\n"
        "B-1,Glaserei,glaser,38820,03941 12345\r\n"
        "B-2,Sanitär Müller,klempner,38820,03941 12345\r\n"
    ).encode("cp1252")
    report = run(data)
    assert [e.line for e in report.errors] == [3]
    assert "not UTF-8" in report.errors[0].message
    assert count_businesses() == 0


def test_empty_file(guild):
    report = run(b"")
    assert [e.message for e in report.errors] == ["the file is empty"]


def test_unknown_guild_is_a_clear_error(app_context):
    with pytest.raises(OrganisationError, match="Unknown guild association 'nirgendwo'"):
        import_businesses_csv(io.BytesIO(csv_bytes([business()])), "nirgendwo", **OPTIONS)


def test_radius_limit_comes_from_the_caller(guild):
    report = run(csv_bytes([business("B-1", service_radius_km="60")]), max_radius_km=50)
    assert "at most 50 km" in report.errors[0].message


# --- audit, mapping API -------------------------------------------------------------------


def test_one_audit_entry_per_import(guild):
    run(csv_bytes([business("B-1"), business("B-2")]), source="betriebe.csv")
    run(
        csv_bytes([business("B-1", name="Neu"), business("B-3", phone="x")]),
        keep_valid=True,
        source="betriebe2.csv",
    )
    entries = db.session.scalars(
        select(AuditLogEntry)
        .where(AuditLogEntry.action == "import_businesses")
        .order_by(AuditLogEntry.id)
    ).all()
    assert [entry.details for entry in entries] == [
        {"file": "betriebe.csv", "created": 2, "updated": 0, "unchanged": 0, "bad_rows": 0,
         "keep_valid": False},
        {"file": "betriebe2.csv", "created": 0, "updated": 1, "unchanged": 0, "bad_rows": 1,
         "keep_valid": True},
    ]  # fmt: skip
    assert {entry.actor for entry in entries} == {"test"}
    assert entries[0].entity_type == "GuildAssociation"


def test_mapping_api_numbers_lines_from_first_line(guild):
    rows = [business("B-1"), business("B-2", email="kaputt")]
    report = import_businesses(rows, GUILD, first_line=10, **OPTIONS)
    assert [(e.line, e.column) for e in report.errors] == [(11, "email")]
    report = import_businesses(rows[:1], GUILD, **OPTIONS)
    assert (report.created, report.written) == (1, True)


# --- export and round trip ----------------------------------------------------------------


def _all_columns(slug: str) -> dict[str, tuple]:
    """Every stored business column except ids and bookkeeping, plus trades, by ref."""
    skip = {"id", "guild_id", "created_at", "updated_at", "version", "verified_at", "verified_by"}
    columns = [c for c in Business.__table__.columns if c.name not in skip]
    result = {}
    for item in db.session.scalars(
        select(Business).join(Business.guild).where(Business.guild.has(slug=slug))
    ):
        values = tuple(getattr(item, c.name) for c in columns)
        links = tuple(sorted((link.trade.slug, link.lat, link.lon) for link in item.trade_links))
        result[item.ref] = (values, links)
    return result


def _varied_rows(count: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    slugs = list(db.session.scalars(select(Trade.slug)))
    rows = []
    for i in range(count):
        rows.append(
            business(
                f"R-{i:03d}",
                name=f'Betrieb, "Nr." {i}; Ä',
                trades=";".join(rng.sample(slugs, rng.randint(1, 3))),
                lat=rng.choice(["", f"{51.8 + rng.random() / 10:.6f}"]),
                lon="",
                postcode=(postcode := rng.choice(["38820", "06484", "39418", "01067"])),
                mobile=rng.choice(["", "0160 1234567"]),
                email=rng.choice(["", f"b{i}@example.org"]),
                website=rng.choice(["", "https://example.org/a?b=c"]),
                service_radius_km=rng.choice(["", "12,5", "150"]),
                opening_hours=rng.choice(["", "Mo-Fr 07:00-17:00"]),
                emergency_hours=rng.choice(["", "24/7"]),
                accepts_new_customers=rng.choice(["ja", ""]),
                callout_price_eur=rng.choice(["", "0", "49,99", "120"]),
                innungsbetrieb=rng.choice(["x", ""]),
                meisterbetrieb=rng.choice(["1", "0"]),
            )
        )
        if postcode == "01067":  # Dresden: coordinates near Halberstadt would be refused
            rows[-1]["lat"] = ""
        if rows[-1]["lat"]:
            rows[-1]["lon"] = f"{11.0 + rng.random() / 10:.6f}"
    return rows


def test_export_writes_the_import_format(guild):
    run(csv_bytes([business("B-1")]))
    lines = export_text().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    row = next(csv.DictReader(io.StringIO(export_text())))
    assert row == {
        **business("B-1"),
        # E.164 begins with "+": neutralised against spreadsheet formulas, read back as is.
        "phone": "'+49394112345",
        "emergency_phone": "'+491711234567",
        "mobile": "'+491717654321",
        "callout_price_eur": "89.50",
        "innungsbetrieb": "ja",
        "trades": "installateur-heizungsbauer;klempner",
    }


def test_export_then_import_gives_back_the_same_data(guild):
    make_guild("anhalt")
    report = run(csv_bytes(_varied_rows(40)))
    assert report.errors == []
    first = export_text()

    report = import_businesses_csv(io.BytesIO(first.encode()), "anhalt", **OPTIONS)
    assert (report.created, report.errors) == (40, [])
    assert _all_columns("anhalt") == _all_columns(GUILD)
    assert export_text("anhalt") == first

    # And back into the guild it came from: nothing to do.
    report = run(first.encode())
    assert (report.unchanged, report.updated, report.created) == (40, 0, 0)


def test_export_neutralises_formulas_and_imports_them_back_unchanged(guild):
    run(csv_bytes([business("B-1", name='=HYPERLINK("http://evil.example","x")')]))
    row = next(csv.DictReader(io.StringIO(export_text())))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","x")'
    make_guild("anhalt")
    report = import_businesses_csv(io.BytesIO(export_text().encode()), "anhalt", **OPTIONS)
    assert (report.created, report.errors) == (1, [])
    names = db.session.scalars(select(Business.name)).all()
    assert names == ['=HYPERLINK("http://evil.example","x")'] * 2


def test_export_of_unknown_guild(app_context):
    with pytest.raises(OrganisationError):
        export_text("nirgendwo")


def test_export_header_matches_the_documented_columns():
    assert list(COLUMNS) == BUSINESS_HEADER


# --- volume -------------------------------------------------------------------------------


@pytest.mark.skipif(
    os.environ.get("HS_SLOW_TESTS") != "1", reason="set HS_SLOW_TESTS=1 for the 100k-row import"
)
def test_import_of_100000_rows(guild):
    rows = (
        business(
            f"V-{i:06d}",
            lat=f"{51.6 + (i % 1000) / 2000:.4f}",
            lon=f"{11.0 + (i // 1000) / 1000:.4f}",
            phone=f"03941 {10000 + i % 90000}",
            trades="klempner" if i % 3 else "klempner;glaser",
        )
        for i in range(100_000)
    )
    data = csv_bytes(list(rows), delimiter=";")
    report = run(data)
    assert (report.created, report.errors, report.written) == (100_000, [], True)
    assert count_businesses() == 100_000
    report = run(data)
    assert report.unchanged == 100_000


def test_header_only_file_imports_nothing(guild):
    report = run(csv_bytes([]))
    assert (report.errors, report.written) == ([], False)
    assert report.summary() == "Nothing to import: no rows."


def test_business_changed_by_someone_else_during_the_import_is_a_conflict(guild):
    run(csv_bytes([business("B-1"), business("B-2")]))

    def rows_while_someone_edits():
        yield business("B-2", phone="03941 88888")
        # Another writer saves B-1 after the import loaded the stored businesses.
        with db.engine.begin() as other:
            other.execute(
                Business.__table__.update()
                .where(Business.__table__.c.ref == "B-1")
                .values(name="Von Hand geändert", version=Business.__table__.c.version + 1)
            )
        yield business("B-1", phone="03941 99999")

    with pytest.raises(ImportConflict, match="changed by someone else"):
        import_businesses(rows_while_someone_edits(), GUILD, **OPTIONS)
    assert stored("B-1").name == "Von Hand geändert"
    assert stored("B-2").phone == "+49394112345"  # rolled back with the rest
