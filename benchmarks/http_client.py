"""A small HTTP/1.1 keep-alive client on asyncio: the load generator's connections.

It sends what a reverse proxy in front of gunicorn sends (``X-Forwarded-For``,
``X-Forwarded-Proto: https``) and reads exactly one response per request, so that many
connections fit in one process without a thread each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

TIMEOUT_S = 10.0


class Connection:
    """One keep-alive HTTP/1.1 connection; reopened when the server closes it."""

    def __init__(self, port: int, host: str) -> None:
        self.port, self.host = port, host
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, address: str, *, body: bytes = b"", headers: Iterable = ()
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Send one request; its status, headers (lower-case names) and body."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}",
                 f"X-Forwarded-For: {address}", "X-Forwarded-Proto: https",
                 *(f"{name}: {value}" for name, value in headers)]  # fmt: skip
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        try:
            return await asyncio.wait_for(self._response(), TIMEOUT_S)
        except BaseException:
            self.close()
            raise

    async def _response(self) -> tuple[int, list[tuple[str, str]], bytes]:
        assert self.reader is not None
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = [
            (n.strip().lower(), v.strip()) for n, _, v in (h.partition(":") for h in head[1:] if h)
        ]
        named = dict(headers)
        if status in (204, 304):  # no body, whatever the headers say
            body = b""
        elif "content-length" in named:
            body = await self.reader.readexactly(int(named["content-length"]))
        elif named.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.read()
            named["connection"] = "close"
        if named.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size + 2))
        await self.reader.readuntil(b"\r\n")
        return b"".join(part[:-2] for part in parts)

    def close(self) -> None:
        """Drop the socket (the next request opens a new one)."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None
