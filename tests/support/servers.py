"""Start our real ASGI apps on free loopback ports for tests and benchmarks.

Tests talk HTTP to real servers (never `httpx.ASGITransport`, which buffers whole bodies and hangs
on endless SSE streams). A server runs uvicorn in a daemon thread with its own event loop, so a
test's own loop stays free to act as the client.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerThread:
    """A uvicorn server for one ASGI app, on 127.0.0.1, in a background thread."""

    def __init__(self, app: Any, port: int | None = None, **config: Any) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cfg = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level=config.pop("log_level", "warning"),
            lifespan=config.pop("lifespan", "on"),
            **config,
        )
        self._server = uvicorn.Server(cfg)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self, timeout: float = 15.0) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"server on port {self.port} exited during start-up")
            if time.monotonic() > deadline:
                raise RuntimeError(f"server on port {self.port} did not start in {timeout} s")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


@contextlib.contextmanager
def serve(app: Any, port: int | None = None, **config: Any) -> Iterator[ServerThread]:
    """Run `app` on a free loopback port for the duration of the `with` block."""
    server = ServerThread(app, port, **config).start()
    try:
        yield server
    finally:
        server.stop()
