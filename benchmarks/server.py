"""A gunicorn server on 127.0.0.1 serving the app on the benchmark database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from backend.config import PROJECT_ROOT


@dataclass(frozen=True)
class ServerOptions:
    """How gunicorn runs: worker count, worker class and threads per worker."""

    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1

    def describe(self) -> str:
        """Human summary, e.g. ``gunicorn, 2 sync workers``."""
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"gunicorn {self.workers} {self.worker_class} workers{threads}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(database_url: str, options: ServerOptions, log_path: Path) -> Iterator[str]:
    """Start gunicorn, wait until it answers, yield its base URL, and stop it at the end."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
        "--workers", str(options.workers), "--worker-class", options.worker_class,
        "--threads", str(options.threads), "--log-level", "warning", "backend:create_app()",
    ]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench"}
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_up(process, base_url, log_path)
            yield base_url
        finally:
            _stop(process)


def _wait_until_up(process: subprocess.Popen, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(base_url + "/api/v1/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")


def _stop(process: subprocess.Popen) -> None:
    """Graceful stop (SIGTERM to the gunicorn master), then a kill after 15 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
