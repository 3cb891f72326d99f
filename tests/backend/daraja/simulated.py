"""Helpers for end-to-end tests: Daraja clients pointed at the running simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backend.daraja import DarajaClient, DarajaCredentials
from daraja_sim import INITIATOR, PAYBILL, SANDBOX_PASSKEY, TILL_NUMBER, TILL_STORE
from tests.support.sim_fixtures import RunningSim

ORG = "600984"  # a sandbox-style organisation shortcode: C2B, B2C, B2B, balance, status, reversal
INITIATOR_PASSWORD = "Safaricom999!*!"


def credentials(**overrides: Any) -> DarajaCredentials:
    fields: dict[str, Any] = {
        "consumer_key": "duka-sim-key",
        "consumer_secret": "duka-sim-secret",
        "shortcode": PAYBILL,
        "passkey": SANDBOX_PASSKEY,
    }
    fields.update(overrides)
    return DarajaCredentials(**fields)


def till_credentials() -> DarajaCredentials:
    return credentials(shortcode=TILL_STORE, till_number=TILL_NUMBER)


async def org_credentials(sim: RunningSim, tmp_path: Path, **overrides: Any) -> DarajaCredentials:
    """Credentials for initiator APIs, encrypting with the simulator's own certificate."""
    cert = tmp_path / "sim-cert.pem"
    cert.write_bytes(await sim.control.cert_pem())
    fields: dict[str, Any] = {
        "shortcode": ORG,
        "initiator_name": INITIATOR,
        "initiator_password": INITIATOR_PASSWORD,
        "certificate_path": cert,
    }
    fields.update(overrides)
    return credentials(**fields)


def client_for(
    sim: RunningSim, creds: DarajaCredentials | None = None, **kwargs: Any
) -> DarajaClient:
    kwargs.setdefault("retry_backoff", 0.01)
    return DarajaClient(creds or credentials(), base_url=sim.url, **kwargs)
