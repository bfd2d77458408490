"""The benchmark runs end to end on a tiny data set: every report row, same answers as naive.

Speed is never asserted here (benchmarks are not timed tests); only that the run
works and that the search answers exactly what the naive full scan answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import run
from benchmarks.report import render, targets
from benchmarks.synthetic import EMERGENCY_HOURS, OPENING_HOURS

pytestmark = pytest.mark.bench

REPORT_ROWS = (
    "| Businesses | 3,000 |",
    "| find_available_businesses, in-process (after warm-up) | 40 |",
    "| the same, on the naive subset | 40 |",
    "| the same, index off (database only) | 40 |",
    "| In-memory search index (each process) |",
    "| Naive full scan with geopy great_circle | 40 |",
    "| distance: geopy geodesic |",
    "| distance: geopy great_circle |",
    "| distance: great_circle_km |",
    "| hours: re-parse + compile + is_open |",
    "| hours: compiled (cached) is_open |",
    "| GET /api/v1/health (trivial) |",
    "| GET /api/v1/search (query mix) |",
    "| GET /api/v1/search (query mix, repeated), server without answer cache |",
    "| In-process p99 < 10 ms |",
    "faster than the naive scan (p50/p50) |",
    "| HTTP search ≥ 0.5 × trivial endpoint (requests/s) |",
    "| Search answers equal the naive answers | 40/40 queries |",
)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory):
    """One tiny benchmark run: 3,000 businesses, 40 queries, 1 s of HTTP load per endpoint."""
    data_dir: Path = tmp_path_factory.mktemp("bench")
    argv = [
        "--businesses", "3000", "--queries", "40", "--naive-queries", "40", "--repeats", "1",
        "--data-dir", str(data_dir), "--http-duration", "1", "--http-rounds", "1",
        "--connections", "2",
    ]  # fmt: skip
    return run.run(run.parse_args(argv), "python -m benchmarks.run " + " ".join(argv), log=_quiet)


def _quiet(_message: str) -> None:
    pass


def test_report_has_every_row(results):
    report = render(results)
    missing = [row for row in REPORT_ROWS if row not in report]
    assert missing == []
    assert "Command: `python -m benchmarks.run --businesses 3000" in report
    assert "indicative only" in report  # not the size the targets are set for


def test_search_answers_equal_the_naive_scan(results):
    assert results.mismatched == []
    assert results.matching == results.naive.count == 40
    assert targets(results)[-1][2]


def test_http_part_served_both_endpoints_without_errors(results):
    for name in ("health", "search", "search_warm", "health_uncached", "search_uncached"):
        assert results.http[name].requests > 0
        assert results.http[name].errors == 0


def test_hour_patterns_are_valid():
    from backend.hours import compile_hours

    for expr in [*OPENING_HOURS, *EMERGENCY_HOURS]:
        if expr:
            compile_hours(expr, "BY")


def test_cached_database_is_reused(results, tmp_path_factory):
    again = run.ensure_dataset(results.dataset.path.parent, 3000, run.parse_args([]).seed)
    assert again.path == results.dataset.path
    assert again.build_seconds is None
    assert again.businesses == 3000
