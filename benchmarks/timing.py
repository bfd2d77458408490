"""Timing helpers: latency summaries and per-call micro-benchmarks."""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from time import perf_counter_ns

from geopy.distance import geodesic, great_circle

from backend.geo.distance import great_circle_km
from backend.hours import BERLIN, compile_hours
from backend.hours.compiler import compile_rules
from backend.hours.parser import parse_hours
from backend.hours.schedule import Schedule
from benchmarks.synthetic import OPENING_HOURS


@dataclass(frozen=True)
class Latency:
    """Summary of per-call durations, in milliseconds."""

    count: int
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float

    @classmethod
    def of(cls, durations_ns: Sequence[int]) -> Latency:
        """Summarise durations measured with ``perf_counter_ns``."""
        ms = sorted(d / 1e6 for d in durations_ns)
        return cls(
            count=len(ms),
            p50_ms=percentile(ms, 50),
            p99_ms=percentile(ms, 99),
            mean_ms=statistics.fmean(ms),
            max_ms=ms[-1],
        )


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile by linear interpolation (numpy's default method)."""
    if not sorted_values:
        return float("nan")
    rank = (len(sorted_values) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def time_each(
    items: Sequence, call: Callable, after: Callable[[], None] | None = None, repeats: int = 1
) -> list[tuple[object, int]]:
    """Call ``call(item)`` for each item; return (result, duration in ns) pairs.

    With ``repeats`` > 1 the whole sequence runs that many times and each item's
    duration is its median over the passes: a query is only slow if it is slow
    most times, not because another process took the CPU once. Results are those
    of the first pass. ``after`` runs after each call, outside the timed region.
    """
    results: list[object] = []
    durations: list[list[int]] = [[] for _ in items]
    for repeat in range(repeats):
        for i, item in enumerate(items):
            started = perf_counter_ns()
            result = call(item)
            durations[i].append(perf_counter_ns() - started)
            if repeat == 0:
                results.append(result)
            if after:
                after()
    return [(r, int(statistics.median(d))) for r, d in zip(results, durations, strict=True)]


def micro_us(call: Callable[[], object], calls: int) -> float:
    """Median over five rounds of the mean cost of one call, in microseconds."""
    rounds = []
    for _ in range(5):
        started = perf_counter_ns()
        for _ in range(calls):
            call()
        rounds.append((perf_counter_ns() - started) / calls / 1000)
    return statistics.median(rounds)


def distance_micro_benchmarks(seed: int) -> dict[str, float]:
    """Cost of one distance in µs: geopy geodesic, geopy great_circle, our great_circle_km."""
    rng = random.Random(seed)
    pairs = [
        (rng.uniform(47.3, 55.0), rng.uniform(5.9, 15.0), rng.uniform(47.3, 55.0),
         rng.uniform(5.9, 15.0))
        for _ in range(64)
    ]  # fmt: skip
    cycle = _cycler(pairs)
    return {
        "geopy geodesic": micro_us(lambda: geodesic(*_pair(next(cycle))).km, 300),
        "geopy great_circle": micro_us(lambda: great_circle(*_pair(next(cycle))).km, 3000),
        "great_circle_km": micro_us(lambda: great_circle_km(*next(cycle)), 20000),
    }


def hours_micro_benchmarks() -> dict[str, float]:
    """Cost of one "open at t?" in µs: parsing and compiling each time versus compiled once."""
    expressions = [expr for expr in OPENING_HOURS if expr]
    at = datetime(2026, 12, 25, 11, 0, tzinfo=BERLIN)
    cycle = _cycler(expressions)

    def reparse() -> bool:
        expr = next(cycle)
        return Schedule(expr, "ST", compile_rules(parse_hours(expr))).is_open(at)

    def compiled() -> bool:
        return compile_hours(next(cycle), "ST").is_open(at)

    return {
        "re-parse + compile + is_open": micro_us(reparse, 50),
        "compiled (cached) is_open": micro_us(compiled, 5000),
    }


def _pair(
    row: tuple[float, float, float, float],
) -> tuple[tuple[float, float], tuple[float, float]]:
    return (row[0], row[1]), (row[2], row[3])


def _cycler(items: list):
    while True:
        yield from items
