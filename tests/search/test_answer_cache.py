"""AnswerCache against a real Redis: generations, lost counters, outages and recovery.

Keys live under a prefix of their own in Redis db 15 (``TEST_REDIS_URL``) and are
deleted at the end; skipped, with the reason shown, when no Redis answers.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest

from backend.search import answer_cache
from backend.search.answer_cache import AnswerCache
from benchmarks.server import free_port
from tests.conftest import TEST_REDIS_URL


@pytest.fixture
def namespace(redis_client):
    namespace = f"test-schnellruf-{uuid.uuid4().hex[:12]}"
    yield namespace
    for key in redis_client.scan_iter(match=f"{namespace}:*", count=1000):
        redis_client.delete(key)


def make_cache(namespace: str, url: str = TEST_REDIS_URL) -> AnswerCache:
    return AnswerCache(url, ttl_s=60, namespace=namespace, answer_scope="test")


class Relay:
    """A TCP relay to the test Redis that can be cut: as far as a client can tell, Redis is gone."""

    def __init__(self) -> None:
        target = urlsplit(TEST_REDIS_URL)
        self.target = (target.hostname, target.port or 6379)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}{target.path}"
        self.up, self.open = True, []
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self.up = False
        for sock in self.open:
            sock.close()
        self.open.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            sock.close()


@pytest.fixture
def relay(redis_client):
    relay = Relay()
    yield relay
    relay.close()


class Counter:
    """A compute function that says how often it ran."""

    def __init__(self, body: bytes = b'{"answer": 1}\n') -> None:
        self.body, self.calls = body, 0

    def __call__(self) -> bytes:
        self.calls += 1
        return self.body


def test_computed_once_per_generation(namespace):
    cache, compute = make_cache(namespace), Counter()
    assert cache.get_or_compute("k", compute) == compute.body
    assert cache.get_or_compute("k", compute) == compute.body
    assert compute.calls == 1
    cache.bump_generation()
    assert cache.get_or_compute("k", compute) == compute.body
    assert compute.calls == 2


def test_workers_share_answers_and_generations(namespace):
    one, other, compute = make_cache(namespace), make_cache(namespace), Counter()
    one.get_or_compute("k", compute)
    other.get_or_compute("k", compute)
    assert compute.calls == 1
    other.bump_generation()  # a write in another process
    one.get_or_compute("k", compute)
    assert compute.calls == 2


def test_answers_expire(namespace, redis_client):
    cache = make_cache(namespace)
    cache.get_or_compute("k", Counter())
    assert 0 < redis_client.ttl(cache.answer_prefix + "k") <= 60


def test_a_lost_generation_counter_never_revives_old_answers(namespace, redis_client):
    cache, compute = make_cache(namespace), Counter()
    cache.get_or_compute("k", compute)
    redis_client.delete(cache.generation_key)  # evicted, or Redis restarted without data
    cache.get_or_compute("k", compute)
    assert compute.calls == 2
    cache.get_or_compute("k", compute)
    assert compute.calls == 2


def test_unreachable_redis_computes_and_logs_once(caplog):
    cache, compute = make_cache("unused", url=f"redis://127.0.0.1:{free_port()}/0"), Counter()
    with caplog.at_level(logging.WARNING, logger=answer_cache.__name__):
        for _ in range(5):
            assert cache.get_or_compute("k", compute) == compute.body
            cache.bump_generation()  # writes while Redis is away do not fail
    assert compute.calls == 5
    assert len(caplog.records) == 1


def test_after_an_outage_the_generation_moves_on_first(namespace, relay, monkeypatch, caplog):
    """Writes during an outage could not be announced: recovery starts with a new generation."""
    monkeypatch.setattr(answer_cache, "RETRY_AFTER_S", 0.2)
    cache, compute = make_cache(namespace, url=relay.url), Counter()
    observer = make_cache(namespace)  # another worker, whose Redis never went away
    cache.get_or_compute("k", compute)
    generation = observer.client.get(cache.generation_key)
    relay.cut()
    with caplog.at_level(logging.WARNING, logger=answer_cache.__name__):
        cache.get_or_compute("k", compute)  # fails, opens the breaker
        cache.bump_generation()  # a write in this process cannot be announced
        relay.restore()
        cache.get_or_compute("k", compute)  # breaker still open: Redis is not asked
        assert compute.calls == 3
        assert observer.client.get(cache.generation_key) == generation
        time.sleep(0.25)
        cache.get_or_compute("k", compute)  # recovers: new generation, so computed again
    assert compute.calls == 4
    assert int(observer.client.get(cache.generation_key)) == int(generation) + 1
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert "searching without the cache" in messages[0]
    assert messages[1] == "Search answer cache: Redis answers again; cache in use"
    cache.get_or_compute("k", compute)
    assert compute.calls == 4
