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

import flet as ft

from backend_client.tokens import FletSecureTokenStore, KeyringTokenStore, TokenStore

__all__ = ["Preferences", "choose_token_store"]

_MOBILE = (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)


def _keyring_usable() -> bool:
    try:
        import keyring  # noqa: PLC0415 - optional at run time; absent backends are common
        from keyring.backends import fail  # noqa: PLC0415

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:
        return False


def choose_token_store(page: ft.Page) -> TokenStore:
    """Return the secure token store suited to where this page runs."""
    if page.web or page.platform in _MOBILE or not _keyring_usable():
        return FletSecureTokenStore()
    return KeyringTokenStore()


class Preferences:
    """Non-secret settings kept on the device between runs (prefixed `duka.`)."""

    def __init__(self) -> None:
        self._prefs = ft.SharedPreferences()

    async def get(self, name: str) -> str:
        with contextlib.suppress(Exception):  # a missing store means defaults, never a crash
            value = await self._prefs.get(f"duka.{name}")
            return str(value) if value is not None else ""
        return ""

    async def set(self, name: str, value: str) -> None:
        with contextlib.suppress(Exception):
            await self._prefs.set(f"duka.{name}", value)
