"""The Idempotency-Key header every request that starts a money movement must carry."""

from __future__ import annotations

from backend.errors import BadInput


def check_key(key: str, *, what: str) -> str:
    """The key without surrounding spaces; refused when empty or longer than 128 characters."""
    key = key.strip()
    if not key or len(key) > 128:
        raise BadInput(
            f"Send an Idempotency-Key header (1-128 characters) with every {what}.",
            code="idempotency_key_required",
        )
    return key
