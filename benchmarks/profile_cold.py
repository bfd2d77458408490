"""Where a cold HTTP search spends its time: ``python -m benchmarks.profile_cold``.

Sends never-asked searches of the benchmark mix through the whole WSGI stack (the Flask
test client; the answer cache on Redis, as deployed, so every lookup misses and every
answer is stored) under pyinstrument, and the trivial health endpoint the same number
of times, and prints the time per request of both and the profile of the searches.
gunicorn's own share (HTTP parsing, sockets) is not in it: it is the same for both.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from time import perf_counter

from pyinstrument import Profiler

from backend.wsgi import create_serving_app
from benchmarks.dataset import DEFAULT_DATA_DIR, ensure_dataset
from benchmarks.http_load import UNLIMITED
from benchmarks.queries import make_queries


def main(argv: list[str]) -> int:
    """Profile ``--requests`` cold searches on the data set of the options."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_cold")
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--spread", default="population")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--postgres-url", default=None)
    args = parser.parse_args(argv)
    dataset = ensure_dataset(
        DEFAULT_DATA_DIR, args.businesses, args.seed, lambda m: print(m, file=sys.stderr),
        spread=args.spread, postgres_url=args.postgres_url,
    )  # fmt: skip
    app = create_serving_app(
        {
            "SQLALCHEMY_DATABASE_URI": dataset.url, "SECRET_KEY": "bench",
            "REDIS_URL": args.redis_url, "SEARCH_CACHE_PREFIX": f"profile-{uuid.uuid4().hex[:8]}",
            **UNLIMITED,
        }
    )  # fmt: skip
    client = app.test_client()
    paths = [q.path() for q in make_queries(args.requests + 200, args.seed + 3, args.spread)]
    for path in paths[:200]:  # warm-up: imports, first statements, listing renders
        client.get(path)
    health = _seconds_each(client, ["/api/v1/health"] * args.requests)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    search = _seconds_each(client, paths[200:])
    profiler.stop()
    print(f"# {dataset.label}, {dataset.businesses:,} businesses, {args.requests} requests")
    print(f"health: {health * 1e3:.3f} ms per request; cold search: {search * 1e3:.3f} ms")
    print(f"in-process ratio (health time / search time): {health / search:.2f}")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


def _seconds_each(client, paths: list[str]) -> float:
    started = perf_counter()
    for path in paths:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return (perf_counter() - started) / len(paths)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
