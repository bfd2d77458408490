"""Run the search benchmark: ``python -m benchmarks.run --businesses N --queries Q``.

One run measures each data set (``--spreads``) on each database (``--databases``):
it builds (or reuses) the synthetic database, times the search in-process,
times the same queries answered by a naive full scan, measures the cost of single
distance and hours calls, loads a gunicorn server with wrk on a trivial endpoint
and on the search, and prints a Markdown report (also written to ``--output``).

The search is loaded over HTTP cold, every request a query not asked before (the
shared answer cache can only miss, so every request searches), and warm, the realistic
query mix repeated (most answers come from the cache); then on a server without an
answer cache (see :mod:`benchmarks.http_load`). The HTTP target is judged on the cold
rate.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import timedelta
from pathlib import Path
from time import perf_counter

from backend import create_app
from backend.extensions import db
from backend.search.nearest import find_available_businesses
from benchmarks import naive
from benchmarks.dataset import DEFAULT_DATA_DIR, Dataset, ensure_dataset
from benchmarks.http_load import measure_http
from benchmarks.mixed_load import MixOptions, weights
from benchmarks.production import run_production
from benchmarks.queries import BenchQuery, make_queries, trade_ids
from benchmarks.report import Results, render
from benchmarks.synthetic import SPREADS
from benchmarks.timing import Latency, distance_micro_benchmarks, hours_micro_benchmarks, time_each
from benchmarks.under_writes import fresh_process, time_under_writes

WARM_UP_QUERIES = 200
DATABASES = ("sqlite", "postgresql")


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options; the defaults are those of ``make bench``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    add = parser.add_argument
    add("--businesses", type=int, default=1_000_000, help="size of the synthetic data set")
    add("--spreads", type=_names(SPREADS), default=list(SPREADS), help="data sets, e.g. even")
    add("--databases", type=_names(DATABASES), default=list(DATABASES), help="e.g. sqlite")
    add(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (and a database to connect to) for the PostgreSQL runs",
    )
    add("--queries", type=int, default=1000, help="queries timed in-process and sent over HTTP")
    add("--repeats", type=int, default=3, help="in-process passes; per-query median is kept")
    add("--naive-queries", type=int, default=40, help="of those, answered by the naive scan too")
    add("--seed", type=int, default=20261125, help="seed of data and queries")
    add("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="where databases are cached")
    add("--output", type=Path, help="also write the report to this file")
    add("--http-duration", type=float, default=10.0, help="seconds per endpoint and round")
    add("--http-rounds", type=int, default=2, help="alternating health/search rounds (0: no HTTP)")
    add("--connections", type=int, default=8, help="open HTTP connections")
    add("--client-threads", type=int, default=1, help="wrk threads")
    add("--load-generator", choices=("auto", "wrk", "python"), default="auto")
    add(
        "--cold-queries",
        type=int,
        default=30000,
        help="distinct queries for the cold HTTP rounds, split evenly between the rounds",
    )
    add(
        "--redis-url",
        default="redis://127.0.0.1:6379/0",
        help="the server's answer cache (empty: none); keys under a prefix of this run",
    )
    add("--workers", type=int, default=2, help="gunicorn workers")
    # gthread (2 x 4) served both endpoints faster than 2, 3 or 4 sync workers on 2 cores.
    add("--worker-class", choices=("sync", "gthread"), default="gthread")
    add("--threads", type=int, default=4, help="threads per gthread worker")
    add(
        "--production-duration",
        type=float,
        default=30.0,
        help="seconds of each production run on PostgreSQL (0: none)",
    )
    add("--production-connections", type=int, default=64, help="connections of the mixed load")
    add("--idle-connections", type=int, default=8, help="held open in the second production run")
    add(
        "--production-mix",
        type=weights,
        default=MixOptions.weights,
        help="weights of the production load, e.g. search=88,call=10,edit=2",
    )
    return parser.parse_args(argv)


def _names(allowed: tuple[str, ...]):
    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = sorted(set(names) - set(allowed))
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)}")
        return names

    return parse


def run(args: argparse.Namespace, command: str, log=print) -> list[Results]:
    """Measure every data set on every database (the report is rendered by the caller)."""
    measured = []
    for database in args.databases:
        for spread in args.spreads:
            log(f"== {database}, {spread}")
            measured.append(run_one(args, command, spread, database, log))
    run_production(measured, args, log)
    log("Micro-benchmarks of distances and hours")
    measured[0].distance_us = distance_micro_benchmarks(args.seed)
    measured[0].hours_us = hours_micro_benchmarks()
    return measured


def run_one(args: argparse.Namespace, command: str, spread: str, database: str, log) -> Results:
    """Measure one data set on one database."""
    postgres_url = args.postgres_url if database == "postgresql" else None
    dataset = ensure_dataset(
        args.data_dir, args.businesses, args.seed, log, spread=spread, postgres_url=postgres_url
    )
    queries = make_queries(args.queries, args.seed, spread)
    results = _in_process(dataset, queries, args, command, log)
    if args.http_rounds > 0:
        try:
            measure_http(dataset, queries, args, results, log)
        except RuntimeError as failure:  # the in-process numbers are kept and reported
            log(f"HTTP part failed: {failure}")
            results.http_error = str(failure)
    return results


def _in_process(
    dataset: Dataset, queries: list[BenchQuery], args: argparse.Namespace, command: str, log
) -> Results:
    app = create_app({"SQLALCHEMY_DATABASE_URI": dataset.url, "SECRET_KEY": "bench"})
    with app.app_context():
        ids = trade_ids()
        lookahead = timedelta(days=app.config["AVAILABILITY_LOOKAHEAD_DAYS"])
        reach = app.config["MAX_SERVICE_RADIUS_KM"]

        def search(query):
            return find_available_businesses(
                query, max_service_radius_km=reach, lookahead=lookahead
            )

        log("Building the in-memory search index")
        started = perf_counter()
        index = app.extensions["search_index"].rebuild()
        index_seconds = perf_counter() - started
        log(f"Warm-up: {WARM_UP_QUERIES} other queries")
        warm_up = make_queries(WARM_UP_QUERIES, args.seed + 1, dataset.spread)
        time_each([q.search_query(ids) for q in warm_up], search, after=db.session.remove)
        log(f"Timing {len(queries)} searches in-process, {args.repeats} passes")
        service_queries = [q.search_query(ids) for q in queries]
        timed = time_each(service_queries, search, db.session.remove, args.repeats)
        log(f"Timing the same searches on the database alone (index off), {args.repeats} passes")
        app.extensions["search_index"].mode = "off"
        time_each([q.search_query(ids) for q in warm_up], search, after=db.session.remove)
        database_timed = time_each(service_queries, search, db.session.remove, args.repeats)
        subset = service_queries[: args.naive_queries]
        # Before the writer: the naive scan must see the data the searches saw.
        log("Loading all rows for the naive scan (not timed)")
        started = perf_counter()
        table = naive.load_table()
        load_seconds = perf_counter() - started
        log(f"Timing the naive full scan on {len(subset)} queries")
        naive_timed = time_each(subset, lambda q: naive.naive_search(table, q, lookahead))
        app.extensions["search_index"].mode = "inline"  # every search sees every edit
        log(f"Timing {len(queries)} searches while a writer edits a business a second")
        under_writes, edits = time_under_writes(app, service_queries, search, args.seed)
        app.extensions["search_index"].mode = "background"
        db.session.remove()
        db.engine.dispose()  # each data set has an app of its own: close its connections
    mismatched = [
        i
        for i, ((got, _), (expected, _)) in enumerate(zip(timed, naive_timed, strict=False))
        if not naive.same_answer(got, expected)
    ]
    mismatched += [
        i
        for i, ((got, _), (expected, _)) in enumerate(zip(timed, database_timed, strict=True))
        if got != expected and i not in mismatched
    ]
    return Results(
        command=command,
        dataset=dataset,
        search=Latency.of([ns for _, ns in timed]),
        search_subset=Latency.of([ns for _, ns in timed[: len(subset)]]),
        search_database=Latency.of([ns for _, ns in database_timed]),
        index_seconds=index_seconds,
        index_links=index.links,
        naive=Latency.of([ns for _, ns in naive_timed]),
        naive_load_seconds=load_seconds,
        matching=len(subset) - len(mismatched),
        mismatched=mismatched,
        repeats=args.repeats,
        search_under_writes=under_writes,
        writer_edits=edits,
        fresh=_fresh(dataset, args, log),
    )


def _fresh(dataset: Dataset, args: argparse.Namespace, log) -> dict:
    log("A fresh process: its first 1,000 searches")
    return fresh_process(dataset.url, 1000, args.seed, dataset.spread)


def main(argv: list[str] | None = None) -> int:
    """Run, print the report, write it to ``--output``; exit 1 if answers differ."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    command = shlex.join(["python", "-m", "benchmarks.run", *argv])
    measured = run(args, command, log=lambda message: print(message, file=sys.stderr, flush=True))
    report = render(measured)
    print(report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    failed = [r for r in measured if r.mismatched]
    for results in failed:
        print(
            f"{results.dataset.label}: answers differ from the naive scan for queries "
            f"{results.mismatched}",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
