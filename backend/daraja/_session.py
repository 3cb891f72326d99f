"""What every API call shares: credentials, clock, pooled HTTP, tokens and the retry rule.

`call` sends one Daraja POST. A rejected token is refreshed once and the request sent once more
(Daraja refused it at the gateway, so nothing was processed). Beyond that, reads retry on any
transient failure and payment initiations only when nothing was sent (see `_retry.py`).
"""

from __future__ import annotations

from typing import Any

from backend.daraja._auth import TokenCache
from backend.daraja._clock import Clock, daraja_timestamp, stk_password
from backend.daraja._http import HttpCore, TokenRejected
from backend.daraja._retry import PAYMENT_RETRY_ON, SAFE_READ_RETRY_ON, RetryPolicy, with_retries
from backend.daraja.credentials import DarajaCredentials, Environment
from backend.daraja.security import BUNDLED_CERTIFICATES, security_credential


class Session:
    """The shared state one DarajaClient passes to each API family's functions."""

    def __init__(
        self,
        credentials: DarajaCredentials,
        environment: Environment,
        http: HttpCore,
        clock: Clock,
        retry: RetryPolicy,
    ) -> None:
        self.credentials = credentials
        self.environment = environment
        self.http = http
        self.clock = clock
        self.retry = retry
        self.tokens = TokenCache(
            http, credentials.consumer_key, credentials.consumer_secret, clock, retry
        )
        self._security_credential: str | None = None
        self._password = ""
        self._password_for = ""

    @property
    def https_only(self) -> bool:
        """Production refuses plain-HTTP callback URLs (REFERENCE.md §1)."""
        return self.environment == "production"

    async def call(
        self, path: str, body: dict[str, Any], *, safe_to_repeat: bool
    ) -> dict[str, Any]:
        """POST `body` to `path` and return Daraja's JSON answer."""
        retry_on = SAFE_READ_RETRY_ON if safe_to_repeat else PAYMENT_RETRY_ON
        return await with_retries(self.retry, lambda: self._send(path, body), retry_on)

    async def _send(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        token = self.tokens.cached() or await self.tokens.get()
        try:
            return await self.http.post_json(path, body, token)
        except TokenRejected:
            self.tokens.invalidate(token)
        return await self.http.post_json(path, body, await self.tokens.get())

    def stk_password(self) -> tuple[str, str]:
        """Return (Password, Timestamp) for STK, both from one Nairobi-time instant."""
        passkey = self.credentials.require_passkey()
        timestamp = daraja_timestamp(self.clock.now())
        if self._password_for != timestamp:  # one Password per second is enough
            self._password = stk_password(self.credentials.shortcode, passkey, timestamp)
            self._password_for = timestamp
        return self._password, timestamp

    def initiator(self) -> tuple[str, str]:
        """Return (initiator name, SecurityCredential), encrypting the password once per client."""
        name, password = self.credentials.require_initiator()
        if self._security_credential is None:
            certificate = (
                self.credentials.certificate_path or BUNDLED_CERTIFICATES[self.environment]
            )
            self._security_credential = security_credential(password, certificate)
        return name, self._security_credential
