"""Fixtures for the money tools: a simulator with a small till balance, and a backend whose
initiator encrypts with the simulator's certificate. Timings are shrunk through Settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from daraja_sim import INITIATOR, SimConfig, SimController
from daraja_sim import create_app as create_sim
from tests.support.backend_fixtures import RunningBackend
from tests.support.servers import ServerThread, serve

TILL = "174379"  # the backend's shortcode in tests (a paybill the simulator keeps a ledger for)
OPENING = 20_000  # the till's opening balance at the simulator: small, so "insufficient" is easy
INITIATOR_PASSWORD = "Safaricom999!*!"


@pytest.fixture
def sim_server() -> Iterator[ServerThread]:
    """The simulator, answering at once, with a till that holds KSh 20,000 to begin with."""
    config = SimConfig(
        seed=11,
        callback_delay_seconds=0.05,
        slow_callback_seconds=3.0,
        prompt_timeout_seconds=5.0,
        org_opening_balance=OPENING,
    )
    with serve(create_sim(config)) as server:
        yield server


@pytest.fixture
async def sim_cert(sim_control: SimController, tmp_path: Path) -> Path:
    path = tmp_path / "sim-cert.pem"
    path.write_bytes(await sim_control.cert_pem())
    return path


def money_settings(cert: Path, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "initiator_name": INITIATOR,
        "initiator_password": INITIATOR_PASSWORD,
        "certificate_path": cert,
        "money_result_wait_seconds": 5.0,
        "money_check_after_seconds": 0.5,
        "money_check_repeat_seconds": 0.4,
        "money_max_checks": 3,
    }
    values.update(overrides)
    return values


@pytest.fixture
async def money_backend(backend_factory: Callable[..., Any], sim_cert: Path) -> Callable[..., Any]:
    """Start a backend with the initiator set up; keyword arguments override its settings."""

    async def start(**overrides: Any) -> RunningBackend:
        running: RunningBackend = await backend_factory(**money_settings(sim_cert, **overrides))
        return running

    return start


@pytest.fixture
async def shop(money_backend: Callable[..., Any]) -> RunningBackend:
    """A backend with the money tools ready and the owner signed in."""
    running: RunningBackend = await money_backend()
    return running
