"""Throwaway database servers for the fault checks: never the machine's shared ones.

- :class:`ScratchPostgres`: a PostgreSQL cluster of its own (``initdb`` into a temporary
  directory, its own port, a socket directory of its own) that can be stopped and
  started again mid-load. PostgreSQL refuses to run as root: as root the cluster
  belongs to the ``postgres`` system user and is run with ``runuser``.
- :class:`HungServer`: a TCP listener that accepts connections and never answers,
  as a database server does that hangs (or a firewall that swallows packets).
- :class:`ScratchRedis`: a redis-server of its own, to be stopped.
- :class:`Gunicorn`: the production server configuration on a free port.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

PG_BIN_CANDIDATES = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg_bin_dir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` live, or None without a PostgreSQL server."""
    for candidate in (os.environ.get("PG_BIN_DIR"), *PG_BIN_CANDIDATES):
        if candidate and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


class ScratchPostgres:
    """A PostgreSQL server in a temporary directory on a port of its own."""

    def __init__(self) -> None:
        bin_dir = pg_bin_dir()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL server binaries (set PG_BIN_DIR)")
        self.bin_dir = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="scratch-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as_user: list[str] = []
        if os.geteuid() == 0:  # postgres will not run as root
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        """A URL for the ``postgres`` superuser over TCP (trust authentication)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self._as_user, *args], check=True, capture_output=True, cwd=self.root, timeout=60
        )

    def initialise(self) -> ScratchPostgres:
        """Create the cluster (trust authentication, only on 127.0.0.1) and start it."""
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8",
        )  # fmt: skip
        return self.start()

    def start(self) -> ScratchPostgres:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "start",
        )  # fmt: skip
        return self

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server (``immediate``: as abruptly as a crash, connections cut)."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        """Stop the server if it runs and delete its directory."""
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class HungServer:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._accepted: list[socket.socket] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, name="hung-server", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self._accepted.append(connection)  # held open, never answered

    def close(self) -> None:
        """Stop listening and drop every held connection."""
        self._closed.set()
        self._listener.close()
        for connection in self._accepted:
            connection.close()


class ScratchRedis:
    """A redis-server on a port of its own, no persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The server's URL (database 0)."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> ScratchRedis:
        """Start the server and wait until it answers PING."""
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                   "--save", "", "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _ in range(100):
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe,
            ):
                probe.sendall(b"PING\r\n")
                if probe.recv(16).startswith(b"+PONG"):
                    return self
            threading.Event().wait(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stop the server."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
            self.process = None


class Gunicorn:
    """gunicorn with config/gunicorn.conf.py on a free port, with extra environment."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.log = log
        self.env = {
            **os.environ,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
            "GUNICORN_GRACEFUL_TIMEOUT": "3",
            "PROMETHEUS_MULTIPROC_DIR": str(log.parent / f"metrics-{self.port}"),
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        """Start the server (see :meth:`wait_until_up`)."""
        root = Path(__file__).resolve().parents[1]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
                cwd=root, env=self.env, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    def get(self, path: str, headers: dict[str, str] | None = None, timeout: float = 60):
        """GET ``path``; raises urllib's HTTPError for 400 and above."""
        url = f"http://127.0.0.1:{self.port}{path}"
        request = urllib.request.Request(url, headers=headers or {})
        return urllib.request.urlopen(request, timeout=timeout)

    def wait_until_up(self, patience_s: float = 90) -> None:
        """Poll /healthz until a worker answers; RuntimeError with the log otherwise."""
        deadline = time.monotonic() + patience_s
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()}")
            try:
                self.get("/healthz", timeout=5).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer: {self.log.read_text()}")

    def stop(self) -> None:
        """Stop gracefully (requests in flight finish)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(60)
            self.process = None
