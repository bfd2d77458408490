"""A production-like HTTP load: residents search and tap "Anrufen", guild staff edit.

Every connection is an HTTP/1.1 keep-alive connection of its own (asyncio, one process),
as a reverse proxy in front of gunicorn would hold them; each request carries the
proxy's ``X-Forwarded-For`` (a resident's address, drawn from many, so that the
per-address limits count per resident as they do in production) and
``X-Forwarded-Proto: https``. A connection draws what it does next by weight:

- ``search``: ``GET /api/v1/search`` from the benchmark's query mix (expects 200);
- ``call``: ``POST /api/v1/calls`` for a business a search listed (expects 204);
- ``edit``: the console's form of one of the connection's own businesses, then saving
  it with the price changed (expects 200, then a 302 redirect), signed in as staff.

Idle connections (connected, nothing sent, reopened when the server closes them) can be
held open beside the load. Anything but the expected status, a reset or a timeout is
an error.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from benchmarks.console_form import edit_form_fields, price_changed
from benchmarks.http_client import Connection
from benchmarks.timing import percentile

STAFF_ADDRESS = "192.0.2.10"
KINDS = ("search", "call", "edit")


@dataclass(frozen=True)
class MixOptions:
    """How long, how many connections, what share of each action."""

    duration_s: float = 30.0
    connections: int = 64
    idle_connections: int = 0
    weights: tuple[tuple[str, int], ...] = (("search", 88), ("call", 10), ("edit", 2))
    host: str = "schnellruf.bench"
    seed: int = 20261202


def weights(text: str) -> tuple[tuple[str, int], ...]:
    """``search=88,call=10,edit=2`` as (kind, weight) pairs (a command-line option)."""
    pairs = []
    for part in text.split(","):
        kind, _, weight = part.partition("=")
        if kind.strip() not in KINDS or not weight.strip().isdigit():
            raise ValueError(f"'{part}': give kind=weight, kinds {', '.join(KINDS)}")
        pairs.append((kind.strip(), int(weight)))
    return tuple(pairs)


@dataclass
class MixResult:
    """Latencies (ms) per kind of request, errors with a sample of what they were."""

    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    edits_saved: int = 0
    idle_reopened: int = 0

    def count(self, kind: str | None = None) -> int:
        """Completed requests of ``kind`` (all kinds: None)."""
        kinds = [kind] if kind else list(self.latencies)
        return sum(len(self.latencies.get(k, [])) for k in kinds)

    def p(self, q: float, kind: str | None = None) -> float:
        """The ``q``-th percentile latency (ms) of ``kind`` (all kinds: None)."""
        kinds = [kind] if kind else list(self.latencies)
        return percentile(sorted(ms for k in kinds for ms in self.latencies.get(k, [])), q)

    @property
    def total_errors(self) -> int:
        """Errors of every kind."""
        return sum(self.errors.values())

    def _record(self, kind: str, ms: float) -> None:
        self.latencies.setdefault(kind, []).append(ms)

    def _fail(self, kind: str, what: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.error_samples) < 10:
            self.error_samples.append(f"{kind}: {what}")


class Staff:
    """The signed-in console session: its cookies, kept up to date from every answer."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.cookies: dict[str, str] = {}

    def header(self) -> list[tuple[str, str]]:
        """The ``Cookie`` header to send."""
        return [("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))]

    def form_headers(self, path: str) -> list[tuple[str, str]]:
        """The headers of a form posted from ``path`` (over https a browser sends Referer,
        and the console's CSRF check asks for it)."""
        return [*self.header(), ("Content-Type", "application/x-www-form-urlencoded"),
                ("Referer", f"https://{self.host}{path}")]  # fmt: skip

    def keep(self, headers: list[tuple[str, str]]) -> None:
        """Store the cookies an answer sets."""
        for name, value in headers:
            if name == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    self.cookies[key] = morsel.value


@dataclass
class Work:
    """What the connections share: the paths, businesses seen, staff session, results."""

    paths: list[tuple[str, str | None]]  # (search path, emergency slug or None)
    editable: list[int]
    staff: Staff
    result: MixResult
    listed: deque = field(default_factory=lambda: deque(maxlen=2000))


async def run_mix(port: int, work: Work, options: MixOptions) -> MixResult:
    """Run the mix for ``options.duration_s``; the result is also ``work.result``."""
    deadline = time.perf_counter() + options.duration_s
    stop = asyncio.Event()
    idle = [asyncio.create_task(_hold_idle(port, stop, work.result))
            for _ in range(options.idle_connections)]  # fmt: skip
    own = _split(work.editable, options.connections)
    started = time.perf_counter()
    await asyncio.gather(*(
        _client(Connection(port, options.host), work, own[i], options, i, deadline)
        for i in range(options.connections)
    ))  # fmt: skip
    work.result.seconds = time.perf_counter() - started
    stop.set()
    await asyncio.gather(*idle)
    return work.result


def _split(items: list[int], parts: int) -> list[list[int]]:
    return [items[i::parts] for i in range(parts)]


async def _client(
    connection: Connection, work: Work, own: list[int], options: MixOptions, n: int, deadline: float
) -> None:
    rng = random.Random(options.seed + n)
    kinds, weights = zip(*options.weights, strict=True)
    index = rng.randrange(len(work.paths))
    while time.perf_counter() < deadline:
        kind = rng.choices(kinds, weights)[0]
        if kind == "edit" and own:
            await _edit(connection, work, own[rng.randrange(len(own))])
        elif kind == "call" and work.listed:
            await _call(connection, work, rng.choice(work.listed), _resident(rng))
        else:
            index = (index + 1) % len(work.paths)
            await _search(connection, work, *work.paths[index], _resident(rng))
    connection.close()


def _resident(rng: random.Random) -> str:
    """One of 65,536 residents' addresses (TEST-NET and private ranges are fine behind a proxy)."""
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


async def _timed(connection: Connection, kind: str, work: Work, expected: int, *args, **kw):
    started = time.perf_counter()
    try:
        status, headers, body = await connection.request(*args, **kw)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
        work.result._fail(kind, type(exc).__name__)
        return None
    if status != expected:
        work.result._fail(kind, f"{status} for {args[1].split('?')[0]}")
        return None
    work.result._record(kind, (time.perf_counter() - started) * 1000)
    return headers, body


async def _search(connection: Connection, work: Work, path: str, emergency, address) -> None:
    answer = await _timed(connection, "search", work, 200, "GET", path, address)
    if answer is not None and emergency is not None:
        for business_id in _listed_ids(answer[1]):
            work.listed.append((business_id, emergency))


def _listed_ids(body: bytes) -> list[int]:
    """The first businesses a search listed: a resident calls one of those."""
    return [hit["id"] for hit in json.loads(body)["results"][:3]]


async def _call(connection: Connection, work: Work, listed: tuple[int, str], address) -> None:
    business_id, emergency = listed
    body = json.dumps(
        {"id": str(uuid.uuid4()), "business_id": business_id, "category": emergency}
    ).encode()
    headers = [("Content-Type", "application/json")]
    await _timed(connection, "call", work, 204, "POST", "/api/v1/calls", address,
                 body=body, headers=headers)  # fmt: skip


async def _edit(connection: Connection, work: Work, business_id: int) -> None:
    path = f"/console/businesses/{business_id}"
    staff = work.staff
    page = await _timed(connection, "edit", work, 200, "GET", path, STAFF_ADDRESS,
                        headers=staff.header())  # fmt: skip
    if page is None:
        return
    staff.keep(page[0])
    fields = price_changed(edit_form_fields(page[1].decode()))
    body = urlencode(fields).encode()
    headers = staff.form_headers(path)
    saved = await _timed(connection, "edit", work, 302, "POST", path, STAFF_ADDRESS,
                         body=body, headers=headers)  # fmt: skip
    if saved is not None:
        staff.keep(saved[0])
        work.result.edits_saved += 1


async def _hold_idle(port: int, stop: asyncio.Event, result: MixResult) -> None:
    """A connection that sends nothing; when the server closes it, another one."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        read = asyncio.ensure_future(reader.read())
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({read, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if read.done():
            result.idle_reopened += 1
        read.cancel()
        stopped.cancel()
        writer.close()
