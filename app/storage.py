"""Pick where the session token lives on this platform, and where plain preferences live.

- Web: the Python side runs on a server shared by every browser, so the token must stay in the
  browser — flet-secure-storage (WebCrypto + localStorage).
- Android / iOS: flet-secure-storage (Keystore / Keychain); keyring has no backend there.
- Desktop: keyring (Keychain, Credential Manager, Secret Service) when it has a usable backend,
  else flet-secure-storage.
Preferences (backend address, username, role, language, theme) are not secret and use
`ft.SharedPreferences`.
"""

from __future__ import annotations

import contextlib
import logging

import flet as ft

from backend_client.tokens import (
    FletSecureTokenStore,
    KeyringTokenStore,
    MemoryTokenStore,
    TokenStore,
)

__all__ = ["FallbackTokenStore", "Preferences", "choose_token_store"]

_MOBILE = (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)
log = logging.getLogger("app.storage")


def _keyring_usable() -> bool:
    try:
        import keyring  # noqa: PLC0415 - optional at run time; absent backends are common
        from keyring.backends import fail  # noqa: PLC0415

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:
        return False


def choose_token_store(page: ft.Page) -> FallbackTokenStore:
    """Return the secure token store suited to where this page runs."""
    if page.web or page.platform in _MOBILE or not _keyring_usable():
        return FallbackTokenStore(FletSecureTokenStore())
    return FallbackTokenStore(KeyringTokenStore())


class FallbackTokenStore:
    """Use the platform's secure storage; if it refuses, keep the token in memory instead.

    A locked keyring or a phone without a keystore must not stop a cashier from signing in: the
    session then simply does not survive a restart, and `degraded` (a catalogue key) says so.
    """

    def __init__(self, primary: TokenStore) -> None:
        self._primary = primary
        self._memory = MemoryTokenStore()
        self.degraded = ""

    async def load(self) -> str | None:
        if self.degraded:
            return await self._memory.load()
        try:
            return await self._primary.load()
        except Exception:
            self._degrade()
            return None

    async def save(self, token: str) -> None:
        if not self.degraded:
            try:
                await self._primary.save(token)
                return
            except Exception:
                self._degrade()
        await self._memory.save(token)

    async def clear(self) -> None:
        await self._memory.clear()
        if not self.degraded:
            try:
                await self._primary.clear()
            except Exception:
                self._degrade()

    def _degrade(self) -> None:
        log.warning("secure storage unavailable; keeping the session in memory", exc_info=True)
        self.degraded = "storage.memory_only"


class Preferences:
    """Non-secret settings kept on the device between runs (prefixed `duka.`).

    The shell saves them on every change of screen; a value already stored is not written
    again (on the web each write is a round trip to the browser).
    """

    def __init__(self) -> None:
        self._prefs = ft.SharedPreferences()
        self._stored: dict[str, str] = {}

    async def get(self, name: str) -> str:
        with contextlib.suppress(Exception):  # a missing store means defaults, never a crash
            value = await self._prefs.get(f"duka.{name}")
            self._stored[name] = str(value) if value is not None else ""
            return self._stored[name]
        return ""

    async def set(self, name: str, value: str) -> None:
        if self._stored.get(name) == value:
            return
        with contextlib.suppress(Exception):
            await self._prefs.set(f"duka.{name}", value)
            self._stored[name] = value
