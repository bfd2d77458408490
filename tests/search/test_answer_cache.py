"""AnswerCache against a real Redis: answers per data version, outages and recovery.

Keys live under a prefix of their own in Redis db 15 (``TEST_REDIS_URL``) and are
deleted at the end; they fail when no Redis answers.
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


def test_computed_once_per_data_version(namespace):
    cache, compute = make_cache(namespace), Counter()
    assert cache.get_or_compute("k", 7, compute) == compute.body
    assert cache.get_or_compute("k", 7, compute) == compute.body
    assert compute.calls == 1
    assert cache.get_or_compute("k", 8, compute) == compute.body  # a write moved it on
    assert compute.calls == 2


def test_workers_share_answers(namespace):
    one, other, compute = make_cache(namespace), make_cache(namespace), Counter()
    one.get_or_compute("k", 7, compute)
    other.get_or_compute("k", 7, compute)
    assert compute.calls == 1
    one.get_or_compute("k", 8, compute)  # a write seen by the database, whoever made it
    other.get_or_compute("k", 8, compute)
    assert compute.calls == 2


def test_answers_expire(namespace, redis_client):
    cache = make_cache(namespace)
    cache.get_or_compute("k", 7, Counter())
    assert 0 < redis_client.ttl(cache.answer_prefix + "k") <= 60


def test_an_answer_of_another_version_is_never_served(namespace, redis_client):
    cache, compute = make_cache(namespace), Counter()
    redis_client.set(cache.answer_prefix + "k", b'6 {"old": true}\n', ex=60)
    assert cache.get_or_compute("k", 7, compute) == compute.body
    assert redis_client.get(cache.answer_prefix + "k") == b"7 " + compute.body
    assert cache.get_or_compute("k", 7, compute) == compute.body
    assert compute.calls == 1


def test_unreachable_redis_computes_and_logs_once(caplog):
    cache, compute = make_cache("unused", url=f"redis://127.0.0.1:{free_port()}/0"), Counter()
    with caplog.at_level(logging.WARNING, logger=answer_cache.__name__):
        for version in range(5):
            assert cache.get_or_compute("k", version, compute) == compute.body
    assert compute.calls == 5
    assert len(caplog.records) == 1


def test_after_an_outage_only_answers_of_the_current_version_are_served(
    namespace, relay, monkeypatch, caplog
):
    """Writes during an outage moved the database's version: old answers stay unserved."""
    monkeypatch.setattr(answer_cache, "RETRY_AFTER_S", 2.0)  # loaded machines: seconds
    cache, compute = make_cache(namespace, url=relay.url), Counter()
    cache.get_or_compute("k", 7, compute)
    relay.cut()
    with caplog.at_level(logging.WARNING, logger=answer_cache.__name__):
        cache.get_or_compute("k", 7, compute)  # fails, opens the breaker
        relay.restore()
        cache.get_or_compute("k", 8, compute)  # breaker still open: Redis is not asked
        assert compute.calls == 3
        time.sleep(2.2)
        cache.get_or_compute("k", 8, compute)  # recovers: version 8 was never stored
    assert compute.calls == 4
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert "searching without the cache" in messages[0]
    assert messages[1] == "Search answer cache: Redis answers again; cache in use"
    cache.get_or_compute("k", 8, compute)
    assert compute.calls == 4
