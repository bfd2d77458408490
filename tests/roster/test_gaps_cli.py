"""``flask roster gaps`` through the CLI runner."""

from __future__ import annotations

from backend.extensions import db
from tests import factories
from tests.roster.test_coverage import at, city


def _plan() -> None:
    city("halberstadt")
    city("quedlinburg", lat=51.7917, lon=11.1472, coverage_km=5.0)
    plumber = factories.business(trades=("klempner",), opening_hours="Mo-Su 08:00-20:00")
    factories.shift(plumber, "klempner", at("2026-10-24 20:00"), at("2026-10-25 08:00"))
    factories.business(trades=("elektrotechniker",), opening_hours="24/7")
    for slug in ("dachdecker", "glaser", "metallbauer", "kfz-techniker", "schornsteinfeger",
                 "kaelteanlagenbauer"):  # fmt: skip
        factories.business(trades=(slug,), opening_hours="24/7", commit=False)
    db.session.commit()


def test_gaps_as_csv_over_the_autumn_switch(runner):
    _plan()
    args = ["--city", "halberstadt", "--from", "2026-10-24", "--to", "2026-10-25"]
    result = runner.invoke(args=["roster", "gaps", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "city,emergency,start,end",
        "halberstadt,abfluss,2026-10-24T00:00+02:00,2026-10-26T00:00+01:00",
        "halberstadt,heizung,2026-10-24T00:00+02:00,2026-10-26T00:00+01:00",
        "halberstadt,wasser,2026-10-24T00:00+02:00,2026-10-24T08:00+02:00",
        "halberstadt,wasser,2026-10-25T20:00+01:00,2026-10-26T00:00+01:00",
    ]
    assert result.stderr.strip() == "4 gaps."


def test_every_city_without_header(runner):
    _plan()
    result = runner.invoke(args=["roster", "gaps", "--from", "2026-12-01", "--to", "2026-12-01"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "halberstadt,abfluss,2026-12-01T00:00+01:00,2026-12-02T00:00+01:00"
    # Quedlinburg lies beyond its 5 km from every business: a gap in every category.
    assert [line.split(",")[1] for line in lines if line.startswith("quedlinburg")] == [
        "abfluss", "auto", "dach", "glas", "heizung", "kamin", "kuehlung", "schluessel",
        "strom", "wasser",
    ]  # fmt: skip


def test_bad_arguments_give_clear_messages(runner):
    _plan()
    result = runner.invoke(args=["roster", "gaps", "--from", "2026-12-02", "--to", "2026-12-01"])
    assert result.exit_code == 2
    assert "ends (2026-12-01) before it starts (2026-12-02)" in result.stderr
    result = runner.invoke(
        args=["roster", "gaps", "--city", "x", "--from", "2026-12-01", "--to", "2026-12-01"]
    )
    assert result.exit_code == 2
    assert "Unknown city 'x' (known: halberstadt, quedlinburg)" in result.stderr
    result = runner.invoke(args=["roster", "gaps", "--from", "1.12.2026", "--to", "2026-12-01"])
    assert result.exit_code == 2
    assert "'1.12.2026' does not match the format '%Y-%m-%d'" in result.stderr
