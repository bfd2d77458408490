"""HTTP load: wrk cycling through a list of request paths, or a Python fallback.

Both endpoints are measured by the same generator with the same connections,
threads and duration, so their ratio is meaningful on a noisy machine.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.timing import percentile

WRK_SCRIPT = """\
-- Cycles through the request paths in the file named after "--"; prints one JSON line.
local paths, index, threads = {}, 0, 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  index = ((offset or 0) * 7919) % #paths
end
function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "errors": %d, "status_errors": %d, '
      .. '"p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class LoadOptions:
    """Same for every endpoint measured: duration, open connections, client threads."""

    duration_s: float = 10.0
    connections: int = 8
    threads: int = 1
    generator: str = "auto"  # "auto" (wrk if installed), "wrk" or "python"


@dataclass(frozen=True)
class LoadResult:
    """Throughput and latency of one endpoint under load."""

    requests: int
    seconds: float
    errors: int  # socket errors and non-2xx/3xx answers
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def choose_generator(choice: str) -> str:
    """``wrk`` when asked for or available, else ``python``."""
    if choice == "python":
        return "python"
    if shutil.which("wrk"):
        return "wrk"
    if choice == "wrk":
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    return "python"


def run_load(base_url: str, paths: list[str], options: LoadOptions, work_dir: Path) -> LoadResult:
    """Load ``base_url`` with ``paths`` in turn for ``options.duration_s`` seconds."""
    if choose_generator(options.generator) == "wrk":
        return _run_wrk(base_url, paths, options, work_dir)
    return _run_python(base_url, paths, options)


def _run_wrk(base_url: str, paths: list[str], options: LoadOptions, work_dir: Path) -> LoadResult:
    script, path_file = work_dir / "cycle.lua", work_dir / "paths.txt"
    script.write_text(WRK_SCRIPT)
    path_file.write_text("\n".join(paths) + "\n")
    command = [
        "wrk", f"-t{options.threads}", f"-c{options.connections}",
        f"-d{max(1, round(options.duration_s))}s", "--timeout", "10s", "-s", str(script),
        base_url, "--", str(path_file),
    ]  # fmt: skip
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=options.duration_s + 60
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=data["errors"] + data["status_errors"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


def _run_python(base_url: str, paths: list[str], options: LoadOptions) -> LoadResult:
    """One process per connection, each with a keep-alive connection (fallback for wrk)."""
    count = options.connections
    jobs = [(base_url, paths, i, count, options.duration_s) for i in range(count)]
    with multiprocessing.get_context("spawn").Pool(options.connections) as pool:
        results = pool.map(_client, jobs)
    latencies = sorted(ms for durations, _, _ in results for ms in durations)
    seconds = max(elapsed for _, _, elapsed in results)
    return LoadResult(
        requests=len(latencies),
        seconds=seconds,
        errors=sum(errors for _, errors, _ in results),
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
    )


def _client(job: tuple[str, list[str], int, int, float]) -> tuple[list[float], int, float]:
    base_url, paths, offset, stride, duration = job
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    durations, errors, index = [], 0, offset
    started = time.perf_counter()
    deadline = started + duration
    while time.perf_counter() < deadline:
        path = paths[index % len(paths)]
        index += stride
        sent = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors += 1
            else:
                durations.append((time.perf_counter() - sent) * 1000)
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
    connection.close()
    return durations, errors, time.perf_counter() - started
