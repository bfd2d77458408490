"""``flask city create`` and ``flask city update``."""

from __future__ import annotations

from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.organisations.models import PartnerCity


def _city(slug: str) -> PartnerCity:
    db.session.expire_all()
    return db.session.scalar(select(PartnerCity).where(PartnerCity.slug == slug))


def test_city_create_from_postcode_town_or_coordinates(runner):
    result = runner.invoke(args=["city", "create", "aschersleben", "Aschersleben",
                                 "--postcode", "06449"])  # fmt: skip
    assert result.exit_code == 0, result.output
    city = _city("aschersleben")
    assert abs(city.lat - 51.75) < 0.05 and city.default_radius_km == 25
    assert city.coverage_km in (16.0, 25.0) and "coverage" in result.output

    by_town = runner.invoke(args=["city", "create", "magdeburg", "Magdeburg", "--town",
                                  "Magdeburg"])  # fmt: skip
    assert by_town.exit_code == 0, by_town.output
    assert _city("magdeburg").coverage_km == 10.0  # over 80,000 inhabitants

    exact = runner.invoke(args=["city", "create", "thale", "Thale", "--lat", "51.75", "--lon",
                                "11.04", "--radius-km", "15", "--coverage-km", "12"])  # fmt: skip
    assert exact.exit_code == 0, exact.output
    thale = _city("thale")
    assert (thale.lat, thale.default_radius_km, thale.coverage_km) == (51.75, 15, 12)


def test_city_create_refuses_bad_input_with_one_line(runner):
    cases = [
        (["x", "X"], "Give --postcode, --town or --lat and --lon"),
        (["x", "X", "--postcode", "00000"], "Unknown postcode"),
        (["x", "X", "--lat", "51.8"], "--lat and --lon go together"),
        (["x", "X", "--postcode", "38820", "--town", "Halle"], "Give one of"),
        (["X y", "X", "--postcode", "38820"], "Invalid slug"),
        (["x", "X", "--lat", "40", "--lon", "3"], "does not lie in Germany"),
        (["x", "X", "--postcode", "38820", "--coverage-km", "0"], "between 1 and 150"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["city", "create", *args])
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert db.session.scalar(select(PartnerCity)) is None


def test_city_update_changes_only_what_is_given_and_audits_it(runner):
    runner.invoke(args=["city", "create", "thale", "Thale", "--lat", "51.75", "--lon", "11.04"])
    result = runner.invoke(args=["city", "update", "thale", "--coverage-km", "16",
                                 "--name", "Thale (Harz)"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "coverage_km: 25.0 -> 16.0" in result.output
    city = _city("thale")
    assert (city.name, city.coverage_km, city.lat) == ("Thale (Harz)", 16.0, 51.75)
    entry = db.session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.id.desc())).first()
    assert entry.details == {"name": ["Thale", "Thale (Harz)"], "coverage_km": [25.0, 16.0]}
    moved = runner.invoke(args=["city", "update", "thale", "--postcode", "06502"])
    assert moved.exit_code == 0 and "lat:" in moved.output
    same = runner.invoke(args=["city", "update", "thale", "--coverage-km", "16"])
    assert "unchanged" in same.output
    assert runner.invoke(args=["city", "update", "nowhere"]).exit_code == 1
