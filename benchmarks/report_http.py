"""The HTTP part of the benchmark report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.markdown import load_cells, table

if TYPE_CHECKING:
    from benchmarks.report import Results


def http_table(results: Results) -> list[str]:
    """The table of every endpoint loaded."""
    h, cold = results.http["health"], results.http["search"]
    rows = [
        ("GET /api/v1/health (trivial)", "one path", *load_cells(h)),
        ("GET /api/v1/search (query mix)", "cold: every request a new query, "
         f"{_hit_rate(results, 'search')}", *load_cells(cold)),
    ]  # fmt: skip
    if "search_warm" in results.http:
        rows.append(
            ("GET /api/v1/search (query mix, repeated)", "warm: the same queries cycled, "
             f"{_hit_rate(results, 'search_warm')}", *load_cells(results.http["search_warm"]))
        )  # fmt: skip
    if "search_uncached" in results.http:
        rows += [
            ("GET /api/v1/health (trivial), server without answer cache", "one path",
             *load_cells(results.http["health_uncached"])),
            ("GET /api/v1/search (query mix, repeated), server without answer cache",
             "every request searches; its listings already rendered",
             *load_cells(results.http["search_uncached"])),
        ]  # fmt: skip
    header = ("Endpoint", "Queries", "requests/s", "p50 ms", "p99 ms", "requests", "errors")
    return table(header, rows)


def _hit_rate(results: Results, name: str) -> str:
    rate = results.http_hit_rate.get(name)
    return "no answer cache" if rate is None else f"{rate:.0%} of answers from the cache"


def http_ratios(results: Results) -> list[str]:
    """The throughput ratios, cold first (the target), in words."""
    lines = [
        f"Search / health throughput, cold: **{results.http_ratio:.2f}**. Every cold request "
        "runs the search; the HTTP target is judged on this ratio."
    ]
    if results.http_warm_ratio is not None:
        lines[0] += (
            f" Warm: {results.http_warm_ratio:.2f}, for a mix that residents repeat; those "
            "answers mostly come from the shared cache, so this is not the cost of a search."
        )
    if results.http_uncached_ratio is not None:
        lines.append(
            f"Without an answer cache, the repeated mix (every request searches, but every "
            f"listing it shows was rendered before) reaches {results.http_uncached_ratio:.2f} of "
            "health on the same server: the ceiling for cold requests if listing businesses "
            "cost nothing."
        )
    if results.http_cold_repeats:
        lines.append(
            f"Up to {results.http_cold_repeats:,} cold requests per round came after the round's "
            "new queries ran out and repeated one (raise --cold-queries)."
        )
    return lines
