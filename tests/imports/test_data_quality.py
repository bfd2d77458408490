"""Data quality at the door: numbers residents can call at the normal price, and no other.

The same rules guard the CSV import and the console (backend.businesses.validation).
"""

from __future__ import annotations

import io

import pytest

from backend.businesses.phones import PhoneNumberError, business_phone
from backend.extensions import db
from backend.imports.businesses import import_businesses_csv
from backend.organisations.operations import get_guild
from tests.imports.import_helpers import GUILD, business, csv_bytes, make_guild


@pytest.fixture
def guild(app_context):
    make_guild()
    return get_guild(GUILD)


def run(rows, **options):
    report = import_businesses_csv(
        io.BytesIO(csv_bytes(rows)), GUILD, actor="test", max_radius_km=150, **options
    )
    db.session.commit()
    return report


@pytest.mark.parametrize(
    "raw", ["0900 1234567", "01805 123456", "0137 9 123456", "0137 1234567", "0700 12345678"]
)
def test_premium_rate_and_shared_cost_numbers_are_refused(raw):
    with pytest.raises(PhoneNumberError, match="premium-rate"):
        business_phone(raw)
    assert business_phone(raw, allow_premium=True).startswith("+49")


@pytest.mark.parametrize("raw", ["+43 1 234567", "+48 22 123 45 67", "0043 1 234567"])
def test_foreign_numbers_are_refused_unless_allowed(raw):
    with pytest.raises(PhoneNumberError, match="not a German number"):
        business_phone(raw)
    assert not business_phone(raw, allow_foreign=True).startswith("+49")


@pytest.mark.parametrize(
    "raw", ["03941 123463-0 ext. 12", "03941 1234630 x12", "03941 1234630 Durchwahl 12"]
)
def test_a_number_with_an_extension_is_refused_never_another_number(raw):
    try:
        value = business_phone(raw)
    except PhoneNumberError as exc:
        assert "extension" in exc.message or "not a" in exc.message
    else:  # read as one number: then all its digits are in it
        digits = "".join(c for c in raw if c.isdigit())
        assert value == "+49" + digits[1:], value


def test_ordinary_numbers_pass(guild):
    assert business_phone("03941 123463-0") == "+4939411234630"
    assert business_phone("0800 1234567") == "+498001234567"  # free for the caller


def test_the_import_refuses_them_and_the_guild_may_allow_them(guild):
    rows = [
        business("B-1", phone="0900 1234567"),
        business("B-2", phone="+43 1 234567"),
        business("B-3", phone="03941 123463-0 ext. 12"),
        business("B-4", mobile="+43 664 1234567"),
    ]
    report = run(rows, dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [
        (2, "phone"), (3, "phone"), (4, "phone"), (5, "mobile"),
    ]  # fmt: skip
    guild.allows_premium_numbers = True
    guild.allows_foreign_numbers = True
    db.session.commit()
    report = run(rows, dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [(4, "phone")]  # extensions: never


def test_the_guild_setting_by_command(guild, runner):
    result = runner.invoke(args=["guild", "numbers", GUILD, "--premium"])
    assert result.exit_code == 0, result.output
    assert "premium-rate numbers allowed, foreign numbers refused" in result.output
    db.session.expire_all()
    assert get_guild(GUILD).allows_premium_numbers is True
    assert runner.invoke(args=["guild", "numbers", "nope"]).exit_code != 0


@pytest.mark.parametrize(
    ("where", "lat", "lon"),
    [("Prague", "50.08", "14.43"), ("North Sea", "54.5", "6.5"), ("Baltic Sea", "54.8", "12.5")],
)
def test_positions_outside_germany_are_refused(guild, where, lat, lon):
    report = run([business("B-1", postcode="", lat=lat, lon=lon)], dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [(2, "lat")], where
    assert "outside Germany" in report.errors[0].message


def test_positions_near_the_border_and_on_islands_are_kept(guild):
    rows = [
        business("B-1", postcode="", lat="51.153", lon="14.987"),  # Görlitz, on the Neisse
        business("B-2", postcode="", lat="50.776", lon="6.084"),  # Aachen
        business("B-3", postcode="", lat="54.18", lon="7.885"),  # Helgoland
        business("B-4", postcode="", lat="47.66", lon="9.175"),  # Konstanz
    ]
    assert run(rows, dry_run=True).errors == []


def test_every_postcode_of_the_gazetteer_lies_inside_the_outline():
    import csv
    from pathlib import Path

    from backend.geo.border import _rings, in_germany
    from backend.geo.gazetteer import resolve_postcode  # noqa: F401 (the same data)

    path = Path(__file__).resolve().parents[2] / "backend" / "data" / "postcodes_de.csv"
    with path.open(encoding="utf-8") as file:
        outside = [
            row["postcode"]
            for row in csv.DictReader(file)
            if not in_germany(float(row["lat"]), float(row["lon"]))
        ]
    assert outside == []
    assert 100 <= sum(len(ring) for ring in _rings()) <= 300


def test_a_position_far_from_its_postcode_is_refused(guild):
    report = run([business("B-1", postcode="38820", lat="53.55", lon="9.99")], dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [(2, "lat")]
    assert "from postcode 38820" in report.errors[0].message


def test_the_distance_to_the_postcode_is_configurable(guild, app, monkeypatch):
    row = business("B-1", postcode="38820", lat="51.80", lon="11.20")  # ~14 km from Halberstadt
    assert run([row], dry_run=True).errors == []
    monkeypatch.setitem(app.config, "MAX_DISTANCE_FROM_POSTCODE_KM", 5)
    report = run([row], dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [(2, "lat")]
    assert "at most 5 km" in report.errors[0].message
