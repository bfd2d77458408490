"""A local fake of Twilio's REST API for Messages and Calls (the real client talks to it).

It records every request (path, form values, basic-auth user) and answers in Twilio's
JSON shape. ``fail(n, status)`` makes the next n requests fail with Twilio's error JSON;
``down = True`` fails all of them with 503; ``delay_s`` answers late (client timeouts).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    form: dict[str, list[str]]
    user: str | None

    def value(self, name: str) -> str | None:
        """The first value of a form field."""
        values = self.form.get(name)
        return values[0] if values else None


@dataclass
class FakeTwilio:
    """The server; ``base_url`` goes into ``TWILIO_API_BASE_URL``."""

    account_sid: str = "AC" + "0" * 32
    auth_token: str = "fake-auth-token"
    requests: list[Recorded] = field(default_factory=list)
    down: bool = False
    delay_s: float = 0.0
    _failures: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> FakeTwilio:
        """Serve on an ephemeral port in a background thread."""
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        self._server.shutdown()
        self._thread.join(5)

    def reset(self) -> None:
        """Forget requests and failure modes."""
        with self._lock:
            self.requests.clear()
            self._failures.clear()
        self.down = False
        self.delay_s = 0.0

    def fail(self, count: int, status: int = 500) -> None:
        """The next ``count`` requests fail with ``status``."""
        with self._lock:
            self._failures.extend([status] * count)

    def sent(self, kind: str) -> list[Recorded]:
        """Recorded requests to Messages.json (``"sms"``) or Calls.json (``"call"``)."""
        suffix = "/Messages.json" if kind == "sms" else "/Calls.json"
        return [r for r in self.requests if r.path.endswith(suffix)]

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        auth = request.authorization
        recorded = Recorded(
            request.method, request.path, request.form.to_dict(flat=False),
            auth.username if auth else None,
        )  # fmt: skip
        with self._lock:
            self.requests.append(recorded)
            failure = self._failures.pop(0) if self._failures else None
        if self.delay_s:
            time.sleep(self.delay_s)
        response = self._answer(request, recorded, 503 if self.down else failure)
        return response(environ, start_response)

    def _answer(self, request: Request, recorded: Recorded, failure: int | None) -> Response:
        if failure is not None:
            return _error(failure, 20500 if failure >= 500 else 21211, "Fake Twilio failure")
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.account_sid, self.auth_token):
            return _error(401, 20003, "Authenticate")
        prefix = f"/2010-04-01/Accounts/{self.account_sid}/"
        if request.method != "POST" or not request.path.startswith(prefix):
            return _error(404, 20404, "The requested resource was not found")
        resource = request.path[len(prefix) :]
        if resource == "Messages.json":
            return _json(201, self._message(recorded))
        if resource == "Calls.json":
            return _json(201, self._call(recorded))
        return _error(404, 20404, "The requested resource was not found")

    def _common(self, sid: str, recorded: Recorded, kind: str) -> dict:
        now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        return {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": recorded.value("To"),
            "from": recorded.value("From"),
            "status": "queued",
            "date_created": now,
            "date_updated": now,
            "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/{kind}/{sid}.json",
        }

    def _message(self, recorded: Recorded) -> dict:
        sid = "SM" + uuid.uuid4().hex
        return {
            **self._common(sid, recorded, "Messages"),
            "body": recorded.value("Body"),
            "num_segments": "1",
            "direction": "outbound-api",
            "price": None,
            "error_code": None,
            "error_message": None,
            "messaging_service_sid": None,
        }

    def _call(self, recorded: Recorded) -> dict:
        sid = "CA" + uuid.uuid4().hex
        return {
            **self._common(sid, recorded, "Calls"),
            "direction": "outbound-api",
            "duration": None,
            "start_time": None,
            "end_time": None,
            "parent_call_sid": None,
        }


def _json(status: int, body: dict) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _error(status: int, code: int, message: str) -> Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return _json(status, body)
