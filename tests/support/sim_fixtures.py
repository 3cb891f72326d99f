"""Pytest plugin: a running Daraja simulator (`sim`) and a recording callback server.

- `sim`: the simulator on a free loopback port, `callback_delay_seconds=0` (override the
  `sim_config` fixture in a test module, or use `start_sim(**overrides)` for another one).
  Has `.url`, `.config`, `.control` (a `daraja_sim.SimController`) and `.app`.
- `callback_receiver`: a real HTTP server recording every POST (`.url`, `.received`,
  `await .wait_for(n, timeout)`); `.respond(...)` sets what it answers and how slowly.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from daraja_sim import SimApp, SimConfig, SimController, create_app
from tests.support.servers import ServerThread

# What `sim` and `start_sim()` run with unless told otherwise.
DEFAULTS: dict[str, Any] = {"seed": 20261204, "callback_delay_seconds": 0.0}


@dataclass
class RunningSim:
    """A simulator serving on loopback for one test."""

    url: str
    config: SimConfig
    control: SimController
    app: SimApp


@dataclass
class Received:
    """One POST the receiver got."""

    path: str
    body: Any
    headers: dict[str, str]
    raw: bytes
    at: float = field(default_factory=time.monotonic)


@dataclass
class Answer:
    """What the receiver answers (per path, or for every path)."""

    body: Any = field(default_factory=lambda: {"ResultCode": 0, "ResultDesc": "Accepted"})
    status: int = 200
    delay: float = 0.0


class CallbackReceiver:
    """Record every request; answer with the configured `Answer` after its delay."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._answers: dict[str | None, Answer] = {None: Answer()}
        self._lock = threading.Lock()
        self.url = ""

    def respond(
        self, body: Any = None, *, status: int = 200, delay: float = 0.0, path: str | None = None
    ) -> None:
        """Answer requests to `path` (None: any path) with `body`/`status` after `delay` s."""
        answer = Answer(status=status, delay=delay) if body is None else Answer(body, status, delay)
        self._answers[path] = answer

    def bodies(self, path: str | None = None) -> list[Any]:
        """Return the JSON bodies received (optionally only for `path`)."""
        with self._lock:
            return [r.body for r in self.received if path is None or r.path == path]

    async def wait_for(
        self,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - `wait_for(n, timeout)` is the fixture's contract
        path: str | None = None,
    ) -> list[Any]:
        """Wait until at least `n` requests (to `path`) arrived; return their bodies."""
        deadline = time.monotonic() + timeout
        while True:
            bodies = self.bodies(path)
            if len(bodies) >= n:
                return bodies
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {n} callbacks{' to ' + path if path else ''} within {timeout} s, "
                    f"got {len(bodies)}: {bodies!r}"
                )
            await asyncio.sleep(0.01)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        with self._lock:
            self.received.append(Received(scope["path"], body, headers, raw))
        answer = self._answers.get(scope["path"], self._answers[None])
        if answer.delay:
            await asyncio.sleep(answer.delay)
        payload = (
            answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        )
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})


@pytest.fixture
def sim_config() -> SimConfig:
    """The `sim` fixture's settings: seeded, callbacks without delay. Override per module."""
    return SimConfig(**DEFAULTS)


@pytest.fixture(scope="session")
def _stopping_servers() -> Iterator[list[ServerThread]]:
    """Servers told to stop; joined once at session end.

    uvicorn needs ~0.2 s to notice `should_exit`; letting that happen in the background while the
    next test runs keeps the suite fast without leaving anything running after the session.
    """
    stopping: list[ServerThread] = []
    yield stopping
    for server in stopping:
        server.stop()


def _stop_later(server: ServerThread, stopping: list[ServerThread]) -> None:
    server.stop(timeout=0.0)  # signal now, join at session end
    stopping.append(server)


@pytest.fixture
def start_sim(_stopping_servers: list[ServerThread]) -> Iterator[Callable[..., RunningSim]]:
    """Return a factory starting simulators (`start_sim(**SimConfig fields)`); stops them all."""
    servers: list[ServerThread] = []

    def start(config: SimConfig | None = None, **overrides: Any) -> RunningSim:
        if config is None:
            config = SimConfig(**{**DEFAULTS, **overrides})
        app = create_app(config)
        server = ServerThread(app).start()
        servers.append(server)
        return RunningSim(server.url, config, SimController(server.url), app)

    yield start
    for server in servers:
        _stop_later(server, _stopping_servers)


@pytest.fixture
def sim(sim_config: SimConfig, start_sim: Callable[..., RunningSim]) -> RunningSim:
    """A running simulator on a free loopback port."""
    return start_sim(sim_config)


@pytest.fixture
def callback_receiver(_stopping_servers: list[ServerThread]) -> Iterator[CallbackReceiver]:
    """A real HTTP server on loopback recording every request it gets."""
    receiver = CallbackReceiver()
    server = ServerThread(receiver).start()
    receiver.url = server.url
    yield receiver
    _stop_later(server, _stopping_servers)
