"""Facts about the machine a benchmark ran on, for the report's first table."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime


def machine_facts() -> list[tuple[str, str]]:
    """Date, CPU, memory and software versions of this run."""
    import gunicorn
    import sqlalchemy

    return [
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", f"{os.cpu_count()} cores (nproc), {_cpu_model()}"),
        ("Memory", _memory()),
        ("Load average (1, 5, 15 min) at the end", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("SQLite / SQLAlchemy", f"{sqlite3.sqlite_version} / {sqlalchemy.__version__}"),
        ("gunicorn / load generator", f"{gunicorn.__version__} / {_wrk_version()}"),
    ]


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            return next(line.split(":", 1)[1].strip() for line in fh if "model name" in line)
    except (OSError, StopIteration):
        return platform.processor() or "unknown CPU"


def _memory() -> str:
    try:
        with open("/proc/meminfo") as fh:
            kib = int(next(line.split()[1] for line in fh if line.startswith("MemTotal")))
        return f"{kib / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        return "unknown"


def _wrk_version() -> str:
    if not shutil.which("wrk"):
        return "wrk not installed"
    output = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return output.split(" Copyright")[0].strip() or "wrk"
