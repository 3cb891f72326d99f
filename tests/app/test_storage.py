"""Signing in works even where the platform's secure storage refuses (here: no keyring)."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from app.storage import FallbackTokenStore
from backend_client.tokens import KeyringTokenStore, MemoryTokenStore


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """This machine's real keyring state: the `fail` backend (no Secret Service)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


async def test_a_refusing_keyring_falls_back_to_memory(no_keyring: None) -> None:
    store = FallbackTokenStore(KeyringTokenStore(service="duka-test"))
    assert await store.load() is None
    assert store.degraded == "storage.memory_only"
    await store.save("token-1")
    assert await store.load() == "token-1"
    await store.clear()
    assert await store.load() is None


async def test_a_working_store_is_used_as_is() -> None:
    primary = MemoryTokenStore()
    store = FallbackTokenStore(primary)
    await store.save("token-2")
    assert (await primary.load(), store.degraded) == ("token-2", "")
    await store.clear()
    assert await primary.load() is None
