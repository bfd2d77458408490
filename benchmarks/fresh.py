"""A fresh process's first searches: ``python -m benchmarks.fresh URL COUNT SEED SPREAD``.

Run by :func:`benchmarks.under_writes.fresh_process`; starts the app as a server does
(``backend.wsgi``: the index is built before the first request) and prints, as JSON,
the start-up time, p50/p99 of the first ``COUNT`` searches and how many of them the
database answered instead of the in-memory index.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from time import perf_counter, perf_counter_ns

from backend.extensions import db
from backend.search import nearest
from backend.search.nearest import find_available_businesses
from backend.wsgi import create_serving_app
from benchmarks.queries import make_queries, trade_ids
from benchmarks.timing import Latency


def main(url: str, count: int, seed: int, spread: str = "population") -> dict:
    """Create the app as a server would, then time the first ``count`` searches."""
    started = perf_counter()
    app = create_serving_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": ""}
    )
    database_path = []
    real = nearest._search_database

    def counted(*args, **kwargs):
        database_path.append(1)
        return real(*args, **kwargs)

    nearest._search_database = counted
    with app.app_context():
        ids = trade_ids()
        lookahead = timedelta(days=app.config["AVAILABILITY_LOOKAHEAD_DAYS"])
        reach = app.config["MAX_SERVICE_RADIUS_KM"]
        ready = perf_counter() - started
        durations = []
        for query in make_queries(count, seed + 7, spread):
            begun = perf_counter_ns()
            find_available_businesses(
                query.search_query(ids), max_service_radius_km=reach, lookahead=lookahead
            )
            durations.append(perf_counter_ns() - begun)
            db.session.remove()
    latency = Latency.of(durations)
    return {
        "startup_seconds": ready,
        "p50_ms": latency.p50_ms,
        "p99_ms": latency.p99_ms,
        "max_ms": max(durations) / 1e6,
        "database_path": len(database_path),
        "count": count,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:5])))
