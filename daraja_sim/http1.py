"""A minimal keep-alive HTTP/1.1 POST client for callbacks to plain `http://` URLs.

Why not httpx for everything: measured on this 2-core machine, httpx delivered a few hundred
callbacks per second from inside the busy simulator process, which made the simulator the
bottleneck of later benchmarks. Raw asyncio streams with a per-host idle pool deliver several times
more. `https://` URLs still go through httpx (see callbacks.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from daraja_sim.errors import DeliveryError

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]
_FAILURES = (TimeoutError, OSError, ValueError, IndexError, asyncio.LimitOverrunError)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    keep_alive = headers.get("connection") != "close" and lines[0].startswith("HTTP/1.1")
    if headers.get("transfer-encoding") == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        return status, b"".join(chunks), keep_alive
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"])), keep_alive
    return status, await reader.read(), False


class Http1Pool:
    """Idle keep-alive connections per (host, port)."""

    def __init__(self, *, timeout: float, per_host: int = 16) -> None:
        self._idle: dict[tuple[str, int], list[Connection]] = {}
        self._per_host = per_host
        self._timeout = timeout

    async def post(self, url: str, body: bytes) -> tuple[int, bytes]:
        """POST `body` as JSON to an `http://` URL; return (status, response body)."""
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or 80
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = (
            f"POST {target} HTTP/1.1\r\nhost: {parts.netloc}\r\nuser-agent: daraja-sim\r\n"
            f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
        ).encode("latin-1") + body
        idle = self._idle.setdefault((host, port), [])
        # A reused connection may have been closed by the server while idle; try a fresh one then.
        for reused in (True, False) if idle else (False,):
            connection = idle.pop() if reused and idle else None
            try:
                async with asyncio.timeout(self._timeout):
                    if connection is None:
                        connection = await asyncio.open_connection(host, port)
                    reader, writer = connection
                    writer.write(request)
                    status, answer, keep_alive = await _read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                self._close(connection)
                if reused:
                    continue
                raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
            except _FAILURES as exc:
                self._close(connection)
                raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
            except BaseException:
                self._close(connection)
                raise
            if keep_alive and len(idle) < self._per_host:
                idle.append(connection)
            else:
                self._close(connection)
            return status, answer
        raise DeliveryError("connection closed")  # pragma: no cover - loop always returns or raises

    @staticmethod
    def _close(connection: Connection | None) -> None:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection[1].close()

    async def aclose(self) -> None:
        """Close every idle connection."""
        for connections in self._idle.values():
            for connection in connections:
                self._close(connection)
                with contextlib.suppress(Exception):
                    await connection[1].wait_closed()
        self._idle.clear()
