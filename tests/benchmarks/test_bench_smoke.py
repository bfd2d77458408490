"""The benchmark runs end to end on tiny data sets: every report row, same answers as naive.

Speed is never asserted here (benchmarks are not timed tests); only that the run
works, on both spreads and both databases, and that the search answers exactly what
the naive full scan answers.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

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
    "| HTTP search ≥ 0.3 × trivial endpoint (requests/s) |",
    "| Search answers equal the naive answers | 40/40 queries |",
    "In-process p99 < 10 ms, one edit a second meanwhile |",
    "first 1,000 searches: p99 < 10 ms |",
)
LABELS = (
    "SQLite, population-weighted", "SQLite, evenly spread",
    "PostgreSQL, population-weighted", "PostgreSQL, evenly spread",
)  # fmt: skip
POSTGRES_SERVER = os.environ.get("PG_TEST_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="module")
def argv(tmp_path_factory: pytest.TempPathFactory):
    """Options of one tiny run; a seed of its own names its PostgreSQL databases."""
    data_dir: Path = tmp_path_factory.mktemp("bench")
    seed = random.randrange(10**8)
    yield [
        "--businesses", "3000", "--queries", "40", "--naive-queries", "40", "--repeats", "1",
        "--data-dir", str(data_dir), "--http-duration", "1", "--http-rounds", "1",
        "--connections", "2", "--seed", str(seed), "--postgres-url", POSTGRES_SERVER,
        "--production-duration", "2", "--production-connections", "8", "--idle-connections", "2",
        "--production-mix", "search=60,call=20,edit=20",
    ]  # fmt: skip
    _drop_databases(seed)


def _drop_databases(seed: int) -> None:
    engine = sa.create_engine(
        POSTGRES_SERVER.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as connection:
        names = connection.exec_driver_sql(
            "SELECT datname FROM pg_database WHERE datname LIKE %(pattern)s",
            {"pattern": f"bench%seed{seed}%"},
        ).scalars()
        for name in list(names):
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    engine.dispose()


@pytest.fixture(scope="module")
def measured(argv):
    """The tiny run on both spreads and both databases."""
    command = "python -m benchmarks.run " + " ".join(argv)
    return run.run(run.parse_args(argv), command, log=_quiet)


@pytest.fixture(scope="module")
def results(measured):
    """The first of them (SQLite, population-weighted)."""
    return measured[0]


def _quiet(_message: str) -> None:
    pass


def test_report_has_every_row(measured):
    report = render(measured)
    missing = [row for row in REPORT_ROWS if row not in report]
    assert missing == []
    assert "Command: `python -m benchmarks.run --businesses 3000" in report
    assert "indicative only" in report  # not the size the targets are set for
    assert [r.dataset.label for r in measured] == list(LABELS)
    for label in LABELS:
        assert f"## {label}" in report


def test_search_answers_equal_the_naive_scan(measured):
    for results in measured:
        assert results.mismatched == [], results.dataset.label
        assert results.matching == results.naive.count == 40
        assert targets(results)[-1][2]


def test_the_even_spread_is_another_data_set(measured):
    population, even = measured[0].dataset, measured[1].dataset
    assert population.name != even.name
    assert population.businesses == even.businesses == 3000
    assert _positions(population.url) != _positions(even.url)  # placed anew


def _positions(url: str) -> list[tuple[float, float]]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT lat, lon FROM businesses ORDER BY id LIMIT 50")
        positions = [tuple(row) for row in rows]
    engine.dispose()
    return positions


def test_fresh_process_searched_with_its_index_from_the_first_search(measured):
    for results in measured:
        assert results.fresh["count"] == 1000
        assert results.fresh["database_path"] == 0, results.dataset.label


def test_http_part_served_both_endpoints_without_errors(measured):
    for results in measured:
        for name in ("health", "search", "search_warm", "health_uncached", "search_uncached"):
            assert results.http[name].requests > 0
            assert results.http[name].errors == 0


def test_hour_patterns_are_valid():
    from backend.hours import compile_hours

    for expr in [*OPENING_HOURS, *EMERGENCY_HOURS]:
        if expr:
            compile_hours(expr, "BY")


def test_cached_database_is_reused(argv, measured):
    args = run.parse_args(argv)
    for results in (measured[0], measured[2]):
        postgres_url = args.postgres_url if results.dataset.engine == "PostgreSQL" else None
        again = run.ensure_dataset(
            args.data_dir, 3000, args.seed, _quiet, postgres_url=postgres_url
        )
        assert again.url == results.dataset.url
        assert again.build_seconds is None
        assert again.businesses == 3000


def test_the_production_run_served_the_mix_without_errors(measured):
    """gunicorn as deployed on PostgreSQL: searches, call events and signed-in console edits."""
    [served] = [r for r in measured if r.production is not None]
    assert served.dataset.label == "PostgreSQL, evenly spread"
    production = served.production
    assert production.error == ""
    for mix in (production.base, production.idle):
        assert mix.errors == {} and mix.error_samples == []
        assert mix.count("search") > 0 and mix.count("call") > 0 and mix.count("edit") > 0
        assert mix.edits_saved > 0
    report = render(measured)
    assert "### Production run" in report and "2 idle connections held open" in report
    assert "| PostgreSQL, evenly spread | production run: 0 errors | 0 errors | yes |" in report
