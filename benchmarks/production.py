"""The production run of ``make bench``: gunicorn as deployed, on PostgreSQL and Redis.

``gunicorn -c config/gunicorn.conf.py`` (gthread workers, the production timeouts and
limits) with the environment of docs/deploy.md: ``DATABASE_URL``, ``REDIS_URL``, a
random ``SECRET_KEY``, an https ``PUBLIC_BASE_URL``, ``TRUSTED_HOSTS`` and ProxyFix
trusting one proxy; the load generator (:mod:`benchmarks.mixed_load`) plays that proxy.
Rate limits stay as configured: searches and call events come from many residents'
addresses, as they do in production. Staff sign in through the console's forms with
password and TOTP, and save businesses through the console's form.

Two runs of the same length and mix: the load alone, then the load with idle
connections held open. The targets: 0 errors in both, and the second run's p99 within
2x of the first's.

``python -m benchmarks.production --businesses N`` runs it alone.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import secrets
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pyotp
from sqlalchemy import func, select

from backend import create_app
from backend.audit.operations import Actor
from backend.businesses.models import Business
from backend.businesses.operations import (
    BusinessInvalid,
    EditRules,
    form_cells,
    update_business,
)
from backend.extensions import db
from backend.organisations import mfa
from backend.organisations.accounts import set_password
from backend.organisations.models import StaffUser
from backend.organisations.operations import create_staff_user
from benchmarks.console_form import price_changed
from benchmarks.dataset import Dataset
from benchmarks.mixed_load import (
    STAFF_ADDRESS,
    Connection,
    MixOptions,
    MixResult,
    Staff,
    Work,
    run_mix,
    weights,
)
from benchmarks.queries import make_queries
from benchmarks.server import running_production_server

if TYPE_CHECKING:
    from benchmarks.report import Results

STAFF_EMAIL = "benchmark-admin@schnellruf.example"
QUERIES_PER_RUN = 20_000  # more than a run sends: the cache finds only answers repeated in it
EDITABLE = 256  # businesses the staff edit, spread over the connections
_CSRF = re.compile(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass
class ProductionResult:
    """Both runs, and what was loaded."""

    dataset: Dataset
    options: MixOptions
    base: MixResult = field(default_factory=MixResult)
    idle: MixResult = field(default_factory=MixResult)
    server: str = ""
    error: str = ""

    @property
    def p99_ratio(self) -> float:
        """p99 of every request with idle connections held, over p99 without."""
        return self.idle.p(99) / self.base.p(99) if self.base.p(99) else float("inf")


def run_production(measured: list[Results], args: argparse.Namespace, log) -> None:
    """Serve the nationwide PostgreSQL data set (else another) as deployed; keep the result.

    Nothing when no PostgreSQL data set was measured or ``--production-duration`` is 0.
    A failed run is reported, and the other numbers are kept.
    """
    candidates = [r for r in measured if r.dataset.engine == "PostgreSQL"]
    if args.production_duration <= 0 or not candidates:
        return
    target = next((r for r in candidates if r.dataset.spread == "even"), candidates[-1])
    options = MixOptions(args.production_duration, args.production_connections,
                         args.idle_connections, args.production_mix)  # fmt: skip
    try:
        target.production = measure_production(target.dataset, options, args.redis_url, log)
    except RuntimeError as failure:
        log(f"Production run failed: {failure}")
        target.production = ProductionResult(target.dataset, options, error=str(failure))


def measure_production(
    dataset: Dataset, options: MixOptions, redis_url: str, log
) -> ProductionResult:
    """Serve ``dataset`` as in production and run the mix twice (without, with idle)."""
    result = ProductionResult(dataset, options)
    password, secret, editable = _prepare(dataset.url, options.seed)

    def paths(run: int) -> list[tuple[str, str | None]]:
        # Queries of its own for each run: none finds the answers of the run before cached.
        queries = make_queries(QUERIES_PER_RUN, options.seed + run, dataset.spread)
        return [(q.path(), q.slug if q.subject == "emergency" else None) for q in queries]

    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "gunicorn.log"
        with running_production_server(dataset.url, redis_url, options.host, log_path) as server:
            port, result.server = server
            staff = asyncio.run(_sign_in(port, options.host, password, secret))
            warm_up = replace(options, duration_s=min(3.0, options.duration_s), idle_connections=0)
            log(f"Production run: warm-up, then {options.duration_s:g} s at "
                f"{options.connections} connections, twice")  # fmt: skip

            def load(run: int, how: MixOptions) -> MixResult:
                work = Work(paths(run), editable, staff, MixResult())
                return asyncio.run(run_mix(port, work, how))

            load(0, warm_up)
            result.base = load(1, replace(options, idle_connections=0))
            log(f"  with {options.idle_connections} idle connections held open")
            result.idle = load(2, options)
    return result


def _prepare(url: str, seed: int) -> tuple[str, str, list[int]]:
    """An admin account with a new password and TOTP secret; businesses its edits can save."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SEARCH_INDEX": "off"})
    password, secret = secrets.token_urlsafe(16), mfa.new_totp_secret()
    with app.app_context():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == STAFF_EMAIL))
        if user is None:
            user, _ = create_staff_user(STAFF_EMAIL, "Benchmark", "admin", actor="benchmark")
        set_password(user, password, actor="benchmark")
        user.totp_secret, user.totp_enabled, user.totp_last_step = secret, True, None
        db.session.commit()
        editable = _editable(app, seed)
        db.session.remove()
        db.engine.dispose()
    return password, secret, editable


def _editable(app, seed: int) -> list[int]:
    """Businesses whose form saves with the price changed (tried, then rolled back)."""
    rng = random.Random(seed)
    highest = db.session.scalar(select(func.max(Business.id))) or 0
    rules = EditRules.from_config(app.config)
    actor = Actor("benchmark", staff_id=None, grant_id=None)
    found: list[int] = []
    for _ in range(EDITABLE * 4):
        business = db.session.get(Business, rng.randint(1, highest))
        if business is None or not business.active or business.id in found:
            continue
        cells = dict(price_changed(list(form_cells(business).items())))
        del cells["action"]
        try:
            update_business(business, cells, version=business.version, actor=actor, rules=rules)
            found.append(business.id)
        except BusinessInvalid:
            pass
        db.session.rollback()
        if len(found) == EDITABLE:
            break
    return found


async def _sign_in(port: int, host: str, password: str, secret: str) -> Staff:
    """Sign in through the console's forms: e-mail and password, then the TOTP code."""
    connection, staff = Connection(port, host), Staff(host)

    async def form(path: str, fields: dict[str, str] | None = None) -> tuple[int, bytes]:
        if fields is None:
            status, headers, body = await connection.request(
                "GET", path, STAFF_ADDRESS, headers=staff.header()
            )
        else:
            status, headers, body = await connection.request(
                "POST", path, STAFF_ADDRESS, body=urlencode(fields).encode(),
                headers=staff.form_headers(path),
            )  # fmt: skip
        staff.keep(headers)
        return status, body

    def token(body: bytes) -> str:
        match = _CSRF.search(body)
        if match is None:
            raise RuntimeError("no CSRF token on the sign-in form")
        return match[1].decode()

    _, page = await form("/console/login")
    status, _ = await form(
        "/console/login", {"email": STAFF_EMAIL, "password": password, "csrf_token": token(page)}
    )
    _, page = await form("/console/login/code")
    status, _ = await form(
        "/console/login/code", {"code": pyotp.TOTP(secret).now(), "csrf_token": token(page)}
    )
    connection.close()
    if status != 302:
        raise RuntimeError(f"the console sign-in answered {status}, not a redirect")
    return staff


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the PostgreSQL data set, run, print the report section."""
    from benchmarks.dataset import DEFAULT_DATA_DIR, ensure_dataset
    from benchmarks.report_production import production_section

    parser = argparse.ArgumentParser(prog="python -m benchmarks.production", description=__doc__)
    parser.add_argument("--businesses", type=int, default=20_000)
    parser.add_argument("--spread", default="even")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--idle-connections", type=int, default=8)
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--mix", type=weights, default=MixOptions.weights)
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    dataset = ensure_dataset(DEFAULT_DATA_DIR, args.businesses, args.seed, log,
                             spread=args.spread, postgres_url=args.postgres_url)  # fmt: skip
    options = MixOptions(args.duration, args.connections, args.idle_connections, args.mix)
    result = measure_production(dataset, options, args.redis_url, log)
    print("\n".join(production_section(result)))
    return 0 if result.base.total_errors == result.idle.total_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
