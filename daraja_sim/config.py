"""How one simulator behaves: credentials, timings and limits, all with documented defaults.

Tests build their own `SimConfig` (usually `callback_delay_seconds=0`); the CLI builds one from its
flags. Nothing is read from the environment or from module globals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

SANDBOX_PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"


@dataclass(frozen=True, kw_only=True)
class SimConfig:
    """Settings for one simulator; every field has the default the README documents."""

    consumer_key: str = "duka-sim-key"
    consumer_secret: str = "duka-sim-secret"  # noqa: S105 - the simulator's documented default
    # Seeds receipt numbers, IDs and tokens; with a fixed `clock` as well the run is reproducible.
    seed: int | None = None
    token_ttl_seconds: int = 3599
    # Daraja's docs show `expires_in` as a number; every captured wire body shows "3599" (§2.2).
    expires_in_as_string: bool = True
    # The sandbox number "pays within a second or two"; tests set 0.
    callback_delay_seconds: float = 1.0
    prompt_timeout_seconds: float = 60.0
    slow_callback_seconds: float = 30.0
    validation_timeout_seconds: float = 8.0
    # Seconds a delivery may take before it counts as failed (Daraja does not retry, §10.2).
    callback_timeout_seconds: float = 10.0
    # Rule 17: the same amount to the same interactive customer within this window of a payment.
    rule17_window_seconds: float = 120.0
    customer_opening_balance: int = 50_000
    org_opening_balance: int = 1_000_000
    public_name: str = "MAMA MBOGA STORES"
    till_public_name: str = "DUKA TILL"
    max_body_bytes: int = 64 * 1024
    # The 2017-2020 callbacks carried a value-less {"Name": "Balance"} item (§4); off by default.
    stk_balance_item: bool = False
    # Real captures spell the query's ResponseDescription "successsfully" (§5).
    query_description_typo: bool = True
    # A 2021 production capture had null InvoiceNumber/ThirdPartyTransID in C2B bodies (§6.2).
    c2b_null_fields: bool = False
    # Call a registered ValidationURL before confirming C2B payments ("External Validation", §6.1).
    external_validation: bool = True
    # How many recent requests/callbacks the control API remembers (oldest dropped first).
    log_limit: int = 10_000
    # Concurrent callback deliveries (a slow receiver holds one worker for up to
    # `callback_timeout_seconds`).
    callback_workers: int = 16
    clock: Callable[[], datetime] | None = None
