"""Coverage scores and the balance of duty hours."""

from __future__ import annotations

from datetime import date

import pytest

from backend.roster.coverage import city_coverage, period_bounds
from backend.roster.scores import balance_of, balance_scores, coefficient_of_variation, gini
from tests import factories
from tests.roster.test_coverage import at, city


def test_gini_and_variation_of_known_values():
    assert gini([5, 5, 5]) == 0.0
    assert gini([0, 0, 0, 12]) == pytest.approx(0.75)
    assert coefficient_of_variation([2, 4]) == pytest.approx(1 / 3)
    balance = balance_of("klempner", [10.0, 40.0])
    assert (balance.min_max_ratio, balance.gini, balance.total_hours) == (0.25, 0.3, 50.0)


def test_coverage_score_and_balance_of_a_weekend(app_context, runner):
    centre = city()
    first = factories.business(trades=("elektrotechniker",), opening_hours=None)
    second = factories.business(trades=("elektrotechniker",), opening_hours=None)
    factories.shift(first, "elektrotechniker", at("2026-12-05 00:00"), at("2026-12-05 18:00"))
    factories.shift(second, "elektrotechniker", at("2026-12-05 18:00"), at("2026-12-06 00:00"))
    start, end = period_bounds(date(2026, 12, 5), date(2026, 12, 6))
    coverage = city_coverage(centre, start, end)
    assert coverage.score("strom") == pytest.approx(0.5)
    assert coverage.score("wasser") == 0.0
    (balance,) = balance_scores(start, end)
    assert (balance.trade, balance.businesses, balance.min_hours, balance.max_hours) == (
        "elektrotechniker", 2, 6.0, 18.0,
    )  # fmt: skip
    assert balance.min_max_ratio == pytest.approx(1 / 3, abs=1e-3)
    result = runner.invoke(args=["roster", "scores", "--from", "2026-12-05", "--to", "2026-12-06"])
    assert result.exit_code == 0, result.output
    assert "halberstadt,strom,50.0,1" in result.stdout.splitlines()
    assert "elektrotechniker,2,24.0,6.0,18.0,0.333,0.5,0.25" in result.stdout.splitlines()
