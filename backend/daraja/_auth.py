"""OAuth access tokens: cached until shortly before expiry, refreshed once for all callers.

Daraja tokens live 3600 s and are reported as `expires_in` "3599" (string or number, REFERENCE.md
§2.2). A thousand coroutines asking a cold client for a token share one OAuth request: the first
starts the refresh and every other caller awaits that same refresh, success or failure. A token
Daraja rejects is dropped only if it is still the cached one, so a burst of rejections also causes
one refresh. Tokens are never logged or put into error messages."""

from __future__ import annotations

import asyncio
import base64
from datetime import datetime, timedelta

from backend.daraja._clock import Clock
from backend.daraja._http import HttpCore, decode, error_from_response, json_or_none
from backend.daraja._retry import SAFE_READ_RETRY_ON, RetryPolicy, with_retries
from backend.daraja.errors import AuthError, DarajaUnavailable, RateLimited

OAUTH_PATH = "/oauth/v1/generate"
# Refresh this long before Daraja's stated expiry (capped at a tenth of a short lifetime).
EARLY_REFRESH = timedelta(seconds=60)


class TokenCache:
    """Holds one access token for one consumer key/secret."""

    def __init__(
        self,
        http: HttpCore,
        consumer_key: str,
        consumer_secret: str,
        clock: Clock,
        retry: RetryPolicy,
    ) -> None:
        self._http = http
        basic = base64.b64encode(f"{consumer_key}:{consumer_secret}".encode()).decode("ascii")
        self._auth_header = f"Basic {basic}"
        self._clock = clock
        self._retry = retry
        self._inflight: asyncio.Future[str] | None = None
        self._token: str | None = None
        self._refresh_at: datetime | None = None
        self.requests_made = 0

    def cached(self) -> str | None:
        """The cached token if it is still fresh, without waiting for anything."""
        if self._token and self._refresh_at and self._clock.now() < self._refresh_at:
            return self._token
        return None

    async def get(self) -> str:
        """Return a valid token, fetching one (once, for all waiting callers) when needed."""
        token = self.cached()
        if token:
            return token
        if self._inflight is None:
            self._inflight = asyncio.ensure_future(self._refresh())
            self._inflight.add_done_callback(_consume_outcome)
        # Shielded: one caller being cancelled must not cancel the refresh the others wait on.
        return await asyncio.shield(self._inflight)

    async def _refresh(self) -> str:
        # Everyone waiting shares this one outcome, failure included: a wrong consumer secret
        # costs one OAuth request however many callers are waiting, not one each.
        try:
            return await with_retries(self._retry, self._fetch, SAFE_READ_RETRY_ON)
        finally:
            self._inflight = None

    def invalidate(self, token: str) -> None:
        """Forget `token` if it is still the cached one (Daraja said it is no longer valid)."""
        if self._token == token:
            self._token = None
            self._refresh_at = None

    async def _fetch(self) -> str:
        self.requests_made += 1
        response = await self._http.send(
            "GET",
            OAUTH_PATH,
            params={"grant_type": "client_credentials"},
            headers={"Authorization": self._auth_header},
        )
        if response.status_code == 400 and not response.content.strip():
            # Wrong key/secret: HTTP 400 with an empty body (REFERENCE.md §2.3).
            raise AuthError("Daraja rejected the consumer key/secret", http_status=400, code="400")
        if not response.is_success:
            error = error_from_response(
                response.status_code, json_or_none(response.content), response.text[:500]
            )
            if response.status_code < 500 and not isinstance(error, AuthError | RateLimited):
                # OAuth 4xx answers are credential problems whatever their envelope says.
                raise AuthError(
                    error.message,
                    code=error.code,
                    request_id=error.request_id,
                    raw=error.raw,
                    http_status=error.http_status,
                )
            raise error
        body = decode(response)
        token = body.get("access_token")
        try:
            lifetime = int(float(str(body.get("expires_in")).strip()))
        except ValueError:
            lifetime = 0
        if not isinstance(token, str) or not token or lifetime <= 0:
            raise DarajaUnavailable("Daraja's OAuth answer had no usable token", raw=None)
        margin = min(EARLY_REFRESH, timedelta(seconds=lifetime / 10))
        self._token = token
        self._refresh_at = self._clock.now() + timedelta(seconds=lifetime) - margin
        return token


def _consume_outcome(refresh: asyncio.Future[str]) -> None:
    """Mark a refresh's error as seen even if every caller waiting on it was cancelled."""
    if not refresh.cancelled():
        refresh.exception()
