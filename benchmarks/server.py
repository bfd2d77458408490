"""A gunicorn server on 127.0.0.1 serving the app on the benchmark database."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import redis

from backend.core.config import DEFAULT_CONFIG, PROJECT_ROOT


@dataclass(frozen=True)
class ServerOptions:
    """How gunicorn runs: worker count, worker class and threads per worker."""

    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    # A listening socket per worker (SO_REUSEPORT): the kernel spreads connections over
    # the workers. With one shared socket, the worker that waited last in epoll takes
    # every connection of a burst, so a load of 8 keep-alive connections often ran on
    # one worker (one core) and measured half the throughput.
    reuse_port: bool = True

    def describe(self) -> str:
        """Human summary, e.g. ``gunicorn, 2 sync workers``."""
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        sockets = ", a socket per worker (--reuse-port)" if self.reuse_port else ""
        return (
            f"gunicorn {self.workers} {self.worker_class} workers{threads}{sockets}, app "
            "preloaded (`backend.wsgi`: the search index built once, before serving)"
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(
    database_url: str,
    options: ServerOptions,
    log_path: Path,
    config: dict[str, str | int] | None = None,
) -> Iterator[str]:
    """Start gunicorn, wait until it answers, yield its base URL, and stop it at the end.

    ``config`` (plain literals, e.g. ``REDIS_URL``) is passed to ``create_app``.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
        "--workers", str(options.workers), "--worker-class", options.worker_class,
        "--threads", str(options.threads), "--log-level", "warning", "--preload",
        *(["--reuse-port"] if options.reuse_port else []),
        f"backend.wsgi:create_serving_app({config or {}!r})",
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


@contextmanager
def running_production_server(
    database_url: str, redis_url: str, host: str, log_path: Path
) -> Iterator[tuple[int, str]]:
    """gunicorn with ``config/gunicorn.conf.py`` and a production environment; (port, summary).

    The environment is that of docs/deploy.md behind one proxy; only the answer cache's
    key prefix is this run's own, so that no earlier run's answers are found.
    """
    port = free_port()
    config = {"SEARCH_CACHE_PREFIX": f"production-bench-{secrets.token_hex(6)}"}
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
               f"backend.wsgi:create_serving_app({config!r})"]  # fmt: skip
    env = {
        **os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(32), "PUBLIC_BASE_URL": f"https://{host}",
        "TRUSTED_HOSTS": host, "PROXY_FIX_X_FOR": "1", "PROXY_FIX_X_PROTO": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ERROR_LOG": str(log_path),
    }  # fmt: skip
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_KEEPALIVE"):
        env.pop(name, None)  # the committed defaults
    summary = (
        "`gunicorn -c config/gunicorn.conf.py` as committed (gthread, "
        f"{max(2, os.cpu_count() or 1)} workers x 16 threads, keep-alive 5 s, timeout 30 s)"
    )
    with log_path.open("a") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_up(process, f"http://127.0.0.1:{port}", log_path, host)
            yield port, summary
        finally:
            _stop(process)
            AnswerCacheCounts(redis_url).delete(config["SEARCH_CACHE_PREFIX"])


def fill(base_url: str, paths: list[str]) -> None:
    """Request every path once, one after the other (stores the answers in the cache)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        for path in paths:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
    finally:
        connection.close()


class AnswerCacheCounts:
    """The Redis of the server's answer cache: reachable?, command counts, clean-up."""

    def __init__(self, url: str) -> None:
        self.url = url
        with DEFAULT_CONFIG.open("rb") as fh:
            self.ttl_s = tomllib.load(fh)["SEARCH_CACHE_TTL_S"]
        self.client = redis.Redis.from_url(url, socket_connect_timeout=2) if url else None
        self.error = "no REDIS_URL given" if not url else ""
        if self.client is not None:
            try:
                self.client.ping()
            except redis.RedisError as exc:
                self.error = f"no Redis answered at {url}: {exc}"
                self.client = None

    @property
    def reachable(self) -> bool:
        """Whether the server can use the cache."""
        return self.client is not None

    def __str__(self) -> str:
        return f"answer cache in Redis at {self.url}" if self.reachable else self.error

    def snapshot(self) -> tuple[int, int]:
        """Calls of GET (one per answer looked up) and SET (one per answer stored) so far."""
        if self.client is None:
            return 0, 0
        stats = self.client.info("commandstats")
        return tuple(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "set"))

    def delete(self, prefix: str) -> None:
        """Remove the keys of one run."""
        if self.client is not None:
            for key in self.client.scan_iter(match=f"{prefix}:*", count=1000):
                self.client.delete(key)


# Starting and building the search index of a million businesses takes each worker
# about 15 s on an idle 2-core machine.
READY_TIMEOUT_S = 900


def _wait_until_up(
    process: subprocess.Popen, base_url: str, log_path: Path, host: str | None = None
) -> None:
    """Wait until every worker answers with its search index built.

    Each health check opens a new connection, which the kernel hands to a worker by
    hash (a socket per worker); 30 "ready" answers in a row leave a worker unasked
    with a chance of 2^-30 per worker.
    """
    deadline = time.monotonic() + READY_TIMEOUT_S
    ready_in_a_row = 0
    while ready_in_a_row < 30:
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"gunicorn workers not ready within {READY_TIMEOUT_S} s; see {log_path}"
            )
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            asked = urllib.request.Request(
                base_url + "/api/v1/health", headers={"Host": host} if host else {}
            )
            with urllib.request.urlopen(asked, timeout=2) as response:
                state = json.load(response).get("search_index")
        except OSError:
            state = None
        ready_in_a_row = ready_in_a_row + 1 if state in ("ready", "off") else 0
        if not ready_in_a_row:
            time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    """Graceful stop (SIGTERM to the gunicorn master), then a kill after 15 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
