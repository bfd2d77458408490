"""gunicorn in production: ``gunicorn -c config/gunicorn.conf.py``.

Threads (gthread), not sync workers: with sync workers each open connection holds a
whole worker, so two idle clients stopped a two-worker service for 30 s. gthread
(gunicorn >= 27) parks a connection that has sent nothing yet, and every keep-alive
connection between requests, in a poller instead of a thread; each worker then
serves ``threads`` requests at once. nginx in front buffers slow uploads (docs/deploy.md).

Every value can be set in the environment (e.g. by the systemd unit in deploy/).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile

# Every worker writes its Prometheus samples here and a scrape sums them; it must be
# set before prometheus_client is first imported (the systemd unit sets /run/...).
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="schnellruf-metrics-"))

from backend.core import metrics


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# The serving app builds the search index before it accepts a request; with the app
# preloaded that happens once, in the master, and every worker (a replaced one too)
# starts with it (forked, shared until written) and patches it from the change log.
wsgi_app = "backend.wsgi:create_serving_app()"
preload_app = True
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count()))
# A client that connects and sends nothing holds a thread for up to 5 s before it is
# parked; many threads keep a few such clients from delaying anyone (nginx in front
# opens upstream connections only for complete requests).
threads = _int("GUNICORN_THREADS", 16)
# A kept database connection for every thread, and a few for the moments when a thread
# holds two (the search reads the data version on a second one).
os.environ.setdefault("DATABASE_POOL_SIZE", str(threads + 4))
# A request that takes longer than this is a stuck worker (the database answers within
# its statement timeout); it is restarted. Graceful: requests in flight may finish.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Idle keep-alive connections are closed after this (nginx reuses its upstream ones).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Bounded request heads: no API URL is near 4 KB, no client needs 50 headers.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
# Workers are replaced now and then (memory a long life gathers), not all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# The proxy's headers are read by the app's ProxyFix (PROXY_FIX_X_*) alone.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
# Logs: JSON lines, nothing personal (backend/core/gunicorn_logging.py). The app logs
# one line per request itself; set GUNICORN_ACCESS_LOG=- for gunicorn's own as well.
logger_class = "backend.core.gunicorn_logging.PrivateLogger"
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No proxy-protocol, no server banner beyond the default.
proxy_protocol = False


def on_starting(server) -> None:
    """Prepare the shared Prometheus directory before any worker starts (empty it)."""
    metrics.prepare_multiprocess_dir()


def child_exit(server, worker) -> None:
    """Forget a dead worker's live gauges (its counters stay summed in)."""
    metrics.mark_process_dead(worker.pid)
