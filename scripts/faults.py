"""``make faults``: what the production server answers while its database or Redis fails.

Starts a PostgreSQL server and a redis-server of its own (never the machine's shared
ones), migrates, and runs gunicorn with config/gunicorn.conf.py on them; a second
gunicorn talks to a database that accepts connections and never answers. Then it
stops and restarts PostgreSQL and stops Redis, and prints for each request what came
back: status, Retry-After, time taken.
"""

from __future__ import annotations

import secrets
import tempfile
import time
import urllib.error
from pathlib import Path

from flask_migrate import upgrade

from backend import create_app
from backend.extensions import db
from scripts.scratch_services import Gunicorn, HungServer, ScratchPostgres, ScratchRedis

SEARCH = "/api/v1/search?postcode=38820&emergency=wasser"
PROBES = (SEARCH, "/readyz", "/api/v1/health", "/healthz")


def probe(server: Gunicorn, scenario: str, path: str) -> None:
    """GET ``path`` and print one line: scenario, path, status, Retry-After, seconds."""
    started = time.monotonic()
    try:
        response = server.get(path, timeout=35)
        status, retry_after, kind = (
            response.status,
            response.headers.get("Retry-After"),
            (response.headers.get("Content-Type")),
        )
        response.read()
    except urllib.error.HTTPError as error:
        status, retry_after, kind = (
            error.code,
            error.headers.get("Retry-After"),
            (error.headers.get("Content-Type")),
        )
    except OSError as error:
        status, retry_after, kind = f"no answer ({error})", None, ""
    seconds = time.monotonic() - started
    print(
        f"{scenario:<22} {path:<46} {status!s:<5} Retry-After={retry_after or '-':<3} "
        f"{seconds:6.2f} s  {kind or ''}",
        flush=True,
    )


def migrate(database_url: str, redis_url: str) -> None:
    """Create the schema on the scratch database."""
    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(16),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url,
        }
    )
    with app.app_context():
        upgrade()
        db.engine.dispose()


def main() -> None:
    """Run every fault and print what the server answered."""
    root = Path(tempfile.mkdtemp(prefix="schnellruf-faults-"))
    pg, redis, hung = ScratchPostgres(), ScratchRedis(), HungServer()
    servers: list[Gunicorn] = []
    try:
        pg.initialise()
        redis.start()
        migrate(pg.url, redis.url)
        base = {"SECRET_KEY": secrets.token_hex(16), "REDIS_URL": redis.url}
        live = Gunicorn({**base, "DATABASE_URL": pg.url}, root / "live.log").start()
        hung_db = f"postgresql://postgres@127.0.0.1:{hung.port}/db"
        stuck = Gunicorn({**base, "DATABASE_URL": hung_db}, root / "hung.log").start()
        servers += [live, stuck]
        for server in servers:
            server.wait_until_up()
        print(f"{'scenario':<22} {'request':<46} status")
        for path in PROBES:
            probe(live, "normal", path)
        pg.stop()
        for path in PROBES:
            probe(live, "database stopped", path)
        pg.start()
        for path in PROBES:
            probe(live, "database restarted", path)
        for path in PROBES:
            probe(stuck, "database hung", path)
        redis.stop()
        for path in (SEARCH, SEARCH, "/readyz", "/api/v1/health"):
            probe(live, "redis stopped", path)
        print(f"Server logs: {root}")
    finally:
        for server in servers:
            server.stop()
        redis.stop()
        hung.close()
        pg.destroy()


if __name__ == "__main__":
    main()
