"""Markdown cells and tables of the benchmark reports."""

from __future__ import annotations

from benchmarks.loadgen import LoadResult


def load_cells(result: LoadResult) -> tuple[str, ...]:
    """The cells of one load result: requests/s, p50, p99, requests, errors."""
    return (
        f"{result.rps:,.0f}", f"{result.p50_ms:.2f}", f"{result.p99_ms:.2f}",
        f"{result.requests:,}", str(result.errors),
    )  # fmt: skip


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(row) + " |" for row in rows]
