"""A file of junk gives a bounded report in bounded memory: the first errors, then a count."""

from __future__ import annotations

import io
import random
import tracemalloc

from backend.imports.businesses import import_businesses_csv
from backend.imports.csv_read import read_csv
from backend.imports.report import MAX_REPORTED_ERRORS, ErrorList, RowError
from tests import factories

HEADER = b"ref,name,trades,postcode,phone\n"


def junk_file(path, size: int) -> None:
    """``size`` bytes of junk after a valid header: mostly wrong field counts, some bad values."""
    rng = random.Random(14)
    with path.open("wb") as out:
        out.write(HEADER)
        written = len(HEADER)
        while written < size:
            if rng.random() < 0.95:
                line = f"{rng.randbytes(8).hex()},{rng.random()}\n"
            else:
                line = (
                    f"R{rng.randrange(10**6)},x,vulkan;{rng.random()},9{rng.randrange(9999)},abc\n"
                )
            out.write(line.encode())
            written += len(line)


def test_error_lists_keep_the_first_errors_and_count_the_rest():
    errors = ErrorList(limit=3)
    errors.extend(RowError(n, None, None, "bad", "schlecht") for n in range(5))
    errors.append(RowError(9, None, None, "bad", "schlecht"))
    more = ErrorList(errors, limit=10)
    assert [e.line for e in errors] == [0, 1, 2] and errors.omitted == 3
    assert len(more) == 3 and more.omitted == 3


def test_a_20_mb_junk_file_gives_a_bounded_report(app_context, tmp_path):
    factories.guild(slug="khs")
    path = tmp_path / "junk.csv"
    junk_file(path, 20 * 1024 * 1024)
    with path.open("rb") as stream:
        report = import_businesses_csv(stream, "khs", actor="test", dry_run=True, max_radius_km=150)
    assert len(report.errors) == MAX_REPORTED_ERRORS
    assert report.omitted_errors > 500_000
    assert f"{report.omitted_errors} more errors not listed" in report.summary()
    assert not report.written


def test_a_junk_file_is_read_in_memory_far_below_its_size(tmp_path):
    path = tmp_path / "junk.csv"
    junk_file(path, 3 * 1024 * 1024)  # tracemalloc is slow: a smaller file shows the same
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            table = read_csv(stream)
            rows = sum(1 for _ in table.rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows > 1000 and len(table.errors) == MAX_REPORTED_ERRORS
    assert peak < 1.5 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB for a 3 MiB file"


def test_a_non_utf8_junk_file_is_bounded_too():
    data = HEADER + b"B-1,M\xfcller,klempner,38820,03941 1\n" * 5000
    table = read_csv(io.BytesIO(data))
    assert len(table.errors) == MAX_REPORTED_ERRORS and table.errors.omitted == 4000
