"""Settings from `DUKA_*` environment variables or a `.env` file.

Built once by whoever starts the service (`python -m backend`, a test fixture) and passed to
`create_app`; nothing here runs at import time, so tests can build as many as they like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/duka.db"


class Settings(BaseSettings):
    """Everything the backend needs to know; secrets are `SecretStr` so they never print."""

    model_config = SettingsConfigDict(
        env_prefix="DUKA_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    daraja_env: Literal["sandbox", "production"] = "sandbox"
    daraja_base_url: str | None = None
    daraja_consumer_key: SecretStr = SecretStr("")
    daraja_consumer_secret: SecretStr = SecretStr("")
    daraja_passkey: SecretStr = SecretStr("")
    shortcode: str = ""
    till_number: str = ""
    initiator_name: str = ""
    initiator_password: SecretStr = SecretStr("")
    certificate_path: Path | None = None
    shop_name: str = "Duka"

    public_url: str = "http://127.0.0.1:8000"
    database_url: str = DEFAULT_DATABASE_URL
    database_schema: str | None = None  # PostgreSQL search path; None: the server's default
    callback_secret: SecretStr | None = None
    # Safaricom's callback IPs (empty: accept any), and proxies whose X-Forwarded-For we believe.
    callback_allowed_ips: list[str] = Field(default_factory=list)
    trusted_proxies: list[str] = Field(default_factory=list)

    # Reconciliation: query a pending STK request this many seconds after it was sent, then
    # again at each later mark, then every `reconcile_repeat_seconds` while still processing.
    reconcile_after_seconds: list[float] = Field(default_factory=lambda: [30.0, 90.0])
    reconcile_repeat_seconds: float = 120.0
    reconcile_tick_seconds: float = 1.0
    # Daraja publishes no rate limit; spacing queries keeps us clear of spike arrest (§10.3).
    query_min_interval_seconds: float = 0.2
    # A request whose STK Push got no answer has no CheckoutRequestID to query; after this long
    # with no matching callback it is closed as failed and flagged for the owner.
    unknown_push_timeout_seconds: float = 180.0
    confirm_with_query: bool = False
    dynamic_qr: bool = False

    heartbeat_seconds: float = 15.0
    token_ttl_hours: float = 12.0
    login_max_failures: int = 5
    login_lockout_seconds: float = 300.0
    max_body_bytes: int = 64 * 1024
    # argon2 cost; tests lower it, production keeps argon2-cffi's defaults.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    daraja_timeout_seconds: float = 15.0

    # Owner money tools (refunds, balance, verify, payouts).
    payout_daily_limit: int = 100_000  # shillings of payouts one Nairobi day may confirm
    balance_cache_seconds: float = 60.0
    b2c_shortcode: str = ""  # the B2C/B2B "one account" shortcode; empty: `shortcode`
    # How long GET /v1/balance and /v1/verify wait for Daraja's Result before saying so.
    money_result_wait_seconds: float = 20.0
    # A refund/payout with neither Result nor timeout notice after this is checked with
    # Transaction Status, then every `money_check_repeat_seconds`, at most `money_max_checks` times.
    money_check_after_seconds: float = 120.0
    money_check_repeat_seconds: float = 300.0
    money_max_checks: int = 5

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.strip().rstrip("/")

    @property
    def is_till(self) -> bool:
        """True when the shop takes payments on a Buy Goods till (not a paybill)."""
        return bool(self.till_number.strip())

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
