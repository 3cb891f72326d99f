"""Secrets at rest: argon2 for passwords and PINs, SHA-256 for opaque session tokens.

A token is random (256 bits), so a fast hash is enough to store it; a PIN has only 10^4-10^6
values, so it gets argon2 plus the login lockout in `services/accounts.py`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class SecretHasher:
    """Hash and check passwords/PINs with argon2id at the configured cost."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)

    def hash(self, secret: str) -> str:
        return self._hasher.hash(secret)

    def verify(self, hashed: str, secret: str) -> bool:
        try:
            return self._hasher.verify(hashed, secret)
        except (VerificationError, InvalidHashError):
            return False


def new_token() -> str:
    """Return a fresh opaque bearer token."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Return what we store for a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_callback_secret() -> str:
    """Return a long random path segment for Daraja callback URLs (letters and digits only)."""
    return secrets.token_hex(24)


def same_secret(given: str, expected: str) -> bool:
    """Compare secrets in constant time."""
    return hmac.compare_digest(given.encode(), expected.encode())
