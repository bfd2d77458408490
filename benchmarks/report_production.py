"""The production run's part of the benchmark report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.markdown import table

if TYPE_CHECKING:
    from benchmarks.mixed_load import MixResult
    from benchmarks.production import ProductionResult

KINDS = (("search", "GET /api/v1/search"), ("call", "POST /api/v1/calls"),
         ("edit", "console: business form, then save"))  # fmt: skip
IDLE_P99_RATIO_MAX = 2.0


def production_targets(result: ProductionResult) -> list[tuple[str, str, bool]]:
    """(target, measured, met) of the production run."""
    if result.error:
        return [("production run", f"failed: {result.error}", False)]
    errors = result.base.total_errors + result.idle.total_errors
    return [
        ("production run: 0 errors", f"{errors} errors", errors == 0),
        (
            f"idle connections change p99 by at most {IDLE_P99_RATIO_MAX:g}x",
            f"{result.p99_ratio:.2f}x ({result.base.p(99):.1f} -> {result.idle.p(99):.1f} ms)",
            result.p99_ratio <= IDLE_P99_RATIO_MAX,
        ),
    ]


def production_section(result: ProductionResult) -> list[str]:
    """The section: how it was served and loaded, both runs by kind of request."""
    options = result.options
    lines = [
        "### Production run",
        "",
        f"Served by {result.server}, on PostgreSQL and Redis with the production environment "
        "(docs/deploy.md). The load generator (`benchmarks/mixed_load.py`) plays the reverse "
        f"proxy: {options.connections} keep-alive connections for {options.duration_s:g} s each "
        "run, every request with a resident's address (of 65,536) in `X-Forwarded-For`, so the "
        "configured rate limits apply per resident. Mix by weight: "
        + ", ".join(f"{kind} {weight}" for kind, weight in options.weights)
        + "; an edit is the console's form (GET) and saving it (POST), signed in as staff "
        "with password and TOTP.",
        "",
    ]
    if result.error:
        return [*lines, f"**The production run failed**: {result.error}"]
    rows = [*_rows("alone", result.base), *_rows(
        f"{options.idle_connections} idle connections held open", result.idle)]  # fmt: skip
    header = ("Run", "Requests", "count", "requests/s", "p50 ms", "p99 ms", "errors")
    lines += table(header, rows)
    lines += [
        "",
        f"Edits saved: {result.base.edits_saved} alone, {result.idle.edits_saved} beside the "
        f"idle connections (each moves the search data version: every worker patches its "
        f"index, and the shared answers before it no longer count). Idle connections the "
        f"server closed and the generator reopened: {result.idle.idle_reopened}.",
    ]
    samples = result.base.error_samples + result.idle.error_samples
    if samples:
        lines += ["", "Errors seen (first ten): " + "; ".join(samples)]
    return lines


def _rows(run: str, mix: MixResult) -> list[tuple]:
    rows = [(run, "all", f"{mix.count():,}", f"{mix.count() / mix.seconds:,.0f}",
             f"{mix.p(50):.1f}", f"{mix.p(99):.1f}", str(mix.total_errors))]  # fmt: skip
    for kind, label in KINDS:
        rows.append((
            "", label, f"{mix.count(kind):,}", f"{mix.count(kind) / mix.seconds:,.1f}",
            f"{mix.p(50, kind):.1f}", f"{mix.p(99, kind):.1f}", str(mix.errors.get(kind, 0)),
        ))  # fmt: skip
    return rows
