"""OAuth: Basic-auth token minting and bearer checks with each API family's own error (§2, §1.2).

Tokens are opaque and expire after `token_ttl_seconds`. Minting a token does not revoke earlier
ones: the portal FAQ's claim that it does has no wire evidence (§2.2) and would break shared caches.
"""

from __future__ import annotations

import base64
import binascii
import time

from daraja_sim.config import SimConfig
from daraja_sim.errors import DarajaError
from daraja_sim.ids import IdFactory
from daraja_sim.web import Request, Response, json_response

BAD_AUTH_TYPE = DarajaError("400.008.01", "Invalid authentication type passed")
BAD_GRANT = DarajaError("400.008.02", "Invalid grant type passed")
BAD_HEADER = DarajaError("404.001.04", "Invalid Authentication Header")

# Each family words "bad token" its own way (§1.2).
INVALID_TOKEN: dict[str, DarajaError] = {
    "default": DarajaError("404.001.03", "Invalid Access Token"),
    "c2b": DarajaError("400.003.01", "Invalid Access Token"),
    "status": DarajaError("400.003.01", "Invalid Access Token"),
    "balance": DarajaError("401.002.01", "Error Occurred - Invalid Access Token - Invalid Token"),
}


class Tokens:
    """Issue and check bearer tokens."""

    def __init__(self, config: SimConfig, ids: IdFactory) -> None:
        self._config = config
        self._ids = ids
        self._expiry: dict[str, float] = {}

    async def generate(self, request: Request) -> Response:
        """GET /oauth/v1/generate?grant_type=client_credentials with Basic auth."""
        header = request.headers.get("authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or not encoded.strip():
            raise BAD_AUTH_TYPE
        if request.query.get("grant_type") != "client_credentials":
            raise BAD_GRANT
        try:
            key, sep, secret = (
                base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
            )
        except (binascii.Error, UnicodeDecodeError):
            key, sep, secret = "", "", ""
        if not sep or key != self._config.consumer_key or secret != self._config.consumer_secret:
            # Daraja answers wrong credentials with a bare 400 and an empty body (§2.3).
            return Response(400, b"", b"text/plain")
        token = self._ids.token()
        self._expiry[token] = time.monotonic() + self._config.token_ttl_seconds
        ttl = self._config.token_ttl_seconds
        expires_in: str | int = str(ttl) if self._config.expires_in_as_string else ttl
        return json_response({"access_token": token, "expires_in": expires_in})

    def require(self, request: Request, family: str = "default") -> None:
        """Raise the family's Daraja error unless the request carries a live bearer token."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            raise BAD_HEADER
        expiry = self._expiry.get(token.strip())
        if expiry is None or expiry <= time.monotonic():
            raise INVALID_TOKEN.get(family, INVALID_TOKEN["default"])

    def expire_all(self) -> int:
        """Expire every token now; return how many were live."""
        live = sum(1 for expiry in self._expiry.values() if expiry > time.monotonic())
        self._expiry.clear()
        return live
