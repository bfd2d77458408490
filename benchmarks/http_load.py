"""The HTTP part of the benchmark: gunicorn servers loaded by wrk, endpoint by endpoint.

Two servers run one after the other on the benchmark database:

- the server as deployed (answer cache in Redis): health, then the search cold (every
  request a query never asked before, so every request searches) and warm (the mix
  repeated, answers mostly from the cache), in alternating rounds;
- the same server without an answer cache, loaded with the repeated mix after every
  query was asked once: every request searches, but the listings it shows are already
  rendered in that process. Its ratio to health, measured on the same server, is the
  ceiling of what a cold request could reach if listing businesses cost nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path

from benchmarks.dataset import Dataset
from benchmarks.loadgen import LoadOptions, LoadResult, choose_generator, run_load
from benchmarks.queries import BenchQuery, make_queries
from benchmarks.report import Results
from benchmarks.server import AnswerCacheCounts, ServerOptions, fill, running_server

HTTP_WARM_UP_QUERIES = 2000
# Seconds of the repeated mix before the uncached rounds: connections are spread over the
# workers by the kernel, so each worker must see the mix several times to have rendered it.
UNCACHED_WARM_UP_S = 6.0


# The load comes from one address: the search limit stays on (its cost is measured) but
# high enough that no search is refused.
UNLIMITED = {"SEARCH_LIMIT_PER_ADDRESS": "100000000 per minute"}


def measure_http(
    dataset: Dataset, queries: list[BenchQuery], args: argparse.Namespace, results: Results, log
) -> None:
    """Load both servers and store throughput, hit rates and the setup text in ``results``."""
    server = ServerOptions(args.workers, args.worker_class, args.threads)
    load = LoadOptions(
        args.http_duration, args.connections, args.client_threads, args.load_generator
    )
    generator = choose_generator(args.load_generator)
    warm_paths = [q.path() for q in queries]
    warm_up_paths, *cold_slices = _new_paths(set(warm_paths), args, dataset.spread)
    per_round = len(cold_slices[0])
    counts = AnswerCacheCounts(args.redis_url)
    config = {
        "REDIS_URL": args.redis_url if counts.reachable else "",
        "SEARCH_CACHE_PREFIX": f"bench-{uuid.uuid4().hex[:12]}",
        **UNLIMITED,
    }
    rounds: dict[str, list[LoadResult]] = {}
    hits = {"search": [0, 0], "search_warm": [0, 0]}  # (lookups, stores)
    warm_up = replace(load, duration_s=min(2.0, args.http_duration))
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_server(dataset.url, server, Path(tmp) / "gunicorn.log", config) as base_url,
        ):
            log(f"HTTP: {server.describe()} at {base_url}, load by {generator}, {counts}")
            run_load(base_url, warm_up_paths, warm_up, Path(tmp))
            log(f"  filling the answer cache with the {len(warm_paths)} queries of the mix")
            fill(base_url, warm_paths)
            for number in range(args.http_rounds):
                paths = {
                    "health": ["/api/v1/health"],
                    "search": cold_slices[number],
                    "search_warm": warm_paths,
                }
                for name, endpoint_paths in paths.items():
                    log(f"  round {number + 1}: {name} for {args.http_duration:g} s")
                    before = counts.snapshot()
                    measured = run_load(base_url, endpoint_paths, load, Path(tmp))
                    rounds.setdefault(name, []).append(measured)
                    after = counts.snapshot()
                    if name in hits:
                        hits[name] = [hits[name][i] + after[i] - before[i] for i in (0, 1)]
    finally:
        counts.delete(config["SEARCH_CACHE_PREFIX"])
    rounds.update(_uncached_rounds(dataset, server, load, warm_paths, args, log))
    results.http = {name: _combine(measured) for name, measured in rounds.items()}
    # At most this many cold requests may have repeated a query of their round.
    results.http_cold_repeats = max(
        [0, *(r.requests + load.connections - per_round for r in rounds["search"])]
    )
    results.http_hit_rate = {
        name: 1 - stores / lookups if lookups else None for name, (lookups, stores) in hits.items()
    }
    results.http_cache = (
        f"Answer cache: Redis at {args.redis_url}, TTL {counts.ttl_s} s, keys under a prefix "
        "of this run (removed afterwards); hit rates from Redis's command counts (GET per "
        "lookup, SET per computed answer), which count every client of that Redis."
        if counts.reachable
        else f"Answer cache: none ({counts})."
    )
    clients = f"{load.threads} thread(s)" if generator == "wrk" else "one process per connection"
    results.http_setup = (
        f"Server: {server.describe()}, 127.0.0.1, database as above. Load: {generator} with "
        f"{clients} and {load.connections} connections, {args.http_rounds} "
        f"alternating rounds of {args.http_duration:g} s per endpoint after a "
        f"{warm_up.duration_s:g} s warm-up with other queries; requests/s over all rounds, p50 "
        "the mean and p99 the worst of the rounds. Cold: each round sends queries of the "
        f"realistic mix that were never asked before ({per_round:,} per round), so no answer "
        f"can come from the cache. Warm: the {len(queries):,} queries of the mix, cycled, after "
        "one pass that stored their answers. Then a second server of the same kind without "
        f"an answer cache: after {_uncached_warm_up_s(load):g} s of the same mix, its "
        "health and that mix in alternating rounds (every request searches; every listing is "
        "already rendered)."
    )


def _uncached_rounds(
    dataset: Dataset,
    server: ServerOptions,
    load: LoadOptions,
    warm_paths: list[str],
    args: argparse.Namespace,
    log,
) -> dict[str, list[LoadResult]]:
    """Health and the repeated mix on a server without an answer cache."""
    rounds: dict[str, list[LoadResult]] = {"health_uncached": [], "search_uncached": []}
    config = {"REDIS_URL": "", **UNLIMITED}
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(dataset.url, server, Path(tmp) / "gunicorn.log", config) as base_url,
    ):
        warm_up_s = _uncached_warm_up_s(load)
        log(f"HTTP without an answer cache at {base_url}: the mix for {warm_up_s:g} s")
        run_load(base_url, warm_paths, replace(load, duration_s=warm_up_s), Path(tmp))
        endpoints = (("health_uncached", ["/api/v1/health"]), ("search_uncached", warm_paths))
        for number in range(args.http_rounds):
            for name, paths in endpoints:
                log(f"  round {number + 1}: {name} for {args.http_duration:g} s")
                rounds[name].append(run_load(base_url, paths, load, Path(tmp)))
    return rounds


def _uncached_warm_up_s(load: LoadOptions) -> float:
    return min(UNCACHED_WARM_UP_S, 3 * load.duration_s)


def _new_paths(asked: set[str], args: argparse.Namespace, spread: str) -> list[list[str]]:
    """Paths of queries not in ``asked``: one slice for the warm-up, then one per round."""
    count = args.cold_queries + HTTP_WARM_UP_QUERIES
    generated = dict.fromkeys(q.path() for q in make_queries(count, args.seed + 2, spread))
    fresh = [path for path in generated if path not in asked]
    warm_up, fresh = fresh[:HTTP_WARM_UP_QUERIES], fresh[HTTP_WARM_UP_QUERIES:]
    per_round = len(fresh) // args.http_rounds
    return [warm_up, *(fresh[i * per_round : (i + 1) * per_round] for i in range(args.http_rounds))]


def _combine(measured: list[LoadResult]) -> LoadResult:
    return LoadResult(
        requests=sum(r.requests for r in measured),
        seconds=sum(r.seconds for r in measured),
        errors=sum(r.errors for r in measured),
        p50_ms=sum(r.p50_ms for r in measured) / len(measured),
        p99_ms=max(r.p99_ms for r in measured),
    )
