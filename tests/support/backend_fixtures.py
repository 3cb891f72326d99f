"""Pytest plugin: a real backend (uvicorn in a thread) on a fresh SQLite file, with a simulator.

The schema is migrated once per session into a template file with the owner already created;
each test copies it, so a test starts in milliseconds. Timings (reconciliation marks, heartbeats,
argon2 cost) are shrunk through Settings, never by sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend import Settings, create_app, upgrade_database
from backend.core.clock import SystemClock
from backend.core.db import Database
from backend.core.security import SecretHasher
from backend.services.accounts import Accounts
from daraja_sim import SANDBOX_PASSKEY, SimConfig, SimController
from daraja_sim import create_app as create_sim
from tests.support.servers import ServerThread, free_port, serve

OWNER, OWNER_PASSWORD = "owner", "owner-password-1"
CALLBACK_SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef"
PAYS, CANCELS, WRONG_PIN, UNREACHABLE, BROKE = (
    "254700000000",
    "254700000001",
    "254700000002",
    "254700000003",
    "254700000004",
)
NO_CALLBACK, TWICE, SLOW, EXPIRES = "254700000005", "254700000006", "254700000007", "254700000008"


def fast_settings(database_url: str, sim_url: str, public_url: str, **overrides: Any) -> Settings:
    """Settings for tests: the simulator, tiny timings, cheap argon2."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "daraja_base_url": sim_url,
        "daraja_consumer_key": "duka-sim-key",
        "daraja_consumer_secret": "duka-sim-secret",
        "daraja_passkey": SANDBOX_PASSKEY,
        "shortcode": "174379",
        "public_url": public_url,
        "callback_secret": CALLBACK_SECRET,
        # Callbacks come 50 ms after a push; querying from 1.5 s leaves a busy CI box slack
        # before the query (which carries no receipt) can beat the callback.
        "reconcile_after_seconds": [1.5, 2.5],
        "reconcile_repeat_seconds": 1.0,
        "reconcile_tick_seconds": 0.1,
        "query_min_interval_seconds": 0.01,
        "unknown_push_timeout_seconds": 3.0,
        "heartbeat_seconds": 0.5,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8192,
        "daraja_timeout_seconds": 3.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def make_owner(settings: Settings) -> None:
    db = Database(settings.database_url, settings.database_schema)
    accounts = Accounts(
        db,
        SecretHasher(settings.argon2_time_cost, settings.argon2_memory_kib),
        SystemClock(),
        token_ttl=dt.timedelta(hours=1),
        max_failures=5,
        lockout=dt.timedelta(minutes=5),
    )
    try:
        await accounts.create_user(username=OWNER, role="owner", secret=OWNER_PASSWORD)
    finally:
        await db.dispose()


@dataclass
class RunningBackend:
    """A backend under test: its URL, settings, app runtime and an owner token."""

    url: str
    settings: Settings
    server: ServerThread
    app: Any
    owner_token: str = ""
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.AsyncClient(
            base_url=self.url, headers=headers, timeout=10, trust_env=False, **kwargs
        )
        self.clients.append(client)
        return client

    async def login(self, username: str, secret: str) -> str:
        async with httpx.AsyncClient(base_url=self.url, trust_env=False) as http:
            answer = await http.post("/v1/session", json={"username": username, "secret": secret})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["token"])

    async def cashier(self, username: str = "amina", pin: str = "4821") -> tuple[int, str]:
        """Create a cashier as the owner and sign them in; return (id, token)."""
        owner = self.client(self.owner_token)
        made = await owner.post("/v1/cashiers", json={"username": username, "pin": pin})
        assert made.status_code == 201, made.text
        return int(made.json()["id"]), await self.login(username, pin)

    @contextlib.asynccontextmanager
    async def db(self) -> AsyncIterator[Any]:
        """A read session on the backend's database, from the test's own event loop."""
        database = Database(self.settings.database_url, self.settings.database_schema)
        try:
            async with database.read() as session:
                yield session
        finally:
            await database.dispose()

    async def checkout_id(self, payment_id: int) -> str:
        from backend.models import Payment  # noqa: PLC0415

        async with self.db() as session:
            row = await session.get(Payment, payment_id)
        assert row is not None and row.checkout_request_id
        return row.checkout_request_id

    def callback_url(self, kind: str) -> str:
        return f"{self.url}/callbacks/{CALLBACK_SECRET}/{kind}"

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()


@pytest.fixture(scope="session")
def backend_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the owner account, copied by each test."""
    path = tmp_path_factory.mktemp("backend-template") / "template.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade_database(url)
    asyncio.run(make_owner(fast_settings(url, "http://127.0.0.1:9", "http://127.0.0.1:9")))
    return path


@pytest.fixture
def sim_server() -> Iterator[ServerThread]:
    """A Daraja simulator answering at once (callbacks after 50 ms, slow phone after 3 s)."""
    config = SimConfig(
        seed=7, callback_delay_seconds=0.05, slow_callback_seconds=3.0, prompt_timeout_seconds=5.0
    )
    with serve(create_sim(config)) as server:
        yield server


@pytest.fixture
def sim_control(sim_server: ServerThread) -> SimController:
    return SimController(sim_server.url)


BackendFactory = Callable[..., "asyncio.Future[RunningBackend]"]


@pytest.fixture
async def backend_factory(
    tmp_path: Path, backend_template: Path, sim_server: ServerThread
) -> AsyncIterator[Callable[..., Any]]:
    """Start backends (same database unless told otherwise); all are stopped after the test."""
    started: list[RunningBackend] = []
    database = tmp_path / "duka.db"
    shutil.copy(backend_template, database)

    async def start(clock: Any = None, **overrides: Any) -> RunningBackend:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        settings = fast_settings(
            overrides.pop("database_url", f"sqlite+aiosqlite:///{database}"),
            overrides.pop("sim_url", sim_server.url),
            url,
            **overrides,
        )
        app = create_app(settings, clock=clock)
        # proxy_headers off: the backend decides itself whom to believe (DUKA_TRUSTED_PROXIES).
        server = await asyncio.to_thread(ServerThread(app, port=port, proxy_headers=False).start)
        running = RunningBackend(url=url, settings=settings, server=server, app=app)
        started.append(running)
        running.owner_token = await running.login(OWNER, OWNER_PASSWORD)
        return running

    yield start
    for running in started:
        await running.close()
        await asyncio.to_thread(running.server.stop)


@pytest.fixture
async def backend(backend_factory: Callable[..., Any]) -> RunningBackend:
    """One running backend on a fresh database, owner signed in."""
    return await backend_factory()


class BackendSubprocess:
    """`python -m backend serve` in a subprocess, so a test can SIGKILL it and start it again."""

    def __init__(self, workdir: Path, database: Path, sim_url: str, **settings: Any) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        base = fast_settings(f"sqlite+aiosqlite:///{database}", sim_url, self.url, **settings)
        self.env = {**os.environ, **settings_env(base)}

    def start(self, within: float = 30.0) -> BackendSubprocess:
        log = (self.workdir / "backend.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our interpreter, our module
            [sys.executable, "-m", "backend", "serve", "--port", str(self.port)],
            env=self.env,
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.workdir / "backend.log").read_text())
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"backend did not start in {within} s")

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks run, exactly like a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def settings_env(settings: Settings) -> dict[str, str]:
    """The DUKA_* environment that reproduces `settings` in another process."""
    env: dict[str, str] = {}
    for name, raw in settings.model_dump().items():
        if raw is None:
            continue
        value = raw.get_secret_value() if hasattr(raw, "get_secret_value") else raw
        text = json.dumps(value) if isinstance(value, list | bool) else str(value)
        env[f"DUKA_{name.upper()}"] = text
    return env


PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@pytest.fixture
async def pg_schema() -> AsyncIterator[str]:
    """A fresh, migrated PostgreSQL schema with the owner account; dropped afterwards."""
    import asyncpg  # noqa: PLC0415 - only PostgreSQL tests need it

    dsn = PG_URL.replace("+asyncpg", "")
    try:
        admin = await asyncpg.connect(dsn, timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432/test ({type(exc).__name__})")
    schema = f"duka_test_{uuid.uuid4().hex[:10]}"
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        await asyncio.to_thread(upgrade_database, PG_URL, schema)
        await make_owner(
            fast_settings(
                PG_URL, "http://127.0.0.1:9", "http://127.0.0.1:9", database_schema=schema
            )
        )
        yield schema
    finally:
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()
