"""Where the session token lives between app starts: behind a four-method interface.

Only the opaque bearer token is ever stored — never the PIN or password. The interface is async
because the platform's secure storage on Android/iOS (Flutter secure storage via flet) is.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol, runtime_checkable

from backend_client.errors import DukaError

__all__ = [
    "FletSecureTokenStore",
    "KeyringTokenStore",
    "MemoryTokenStore",
    "TokenStore",
    "TokenStoreUnavailable",
]

DEFAULT_SERVICE = "duka"
DEFAULT_KEY = "session-token"


class TokenStoreUnavailable(DukaError):
    """This device has no usable secure storage (for example keyring with no backend)."""

    default_message = (
        "This device cannot store your session securely; you will need to sign in each time."
    )


@runtime_checkable
class TokenStore(Protocol):
    """Keeps one session token; every method is idempotent."""

    async def load(self) -> str | None:
        """Return the stored token, or None when signed out."""
        ...

    async def save(self, token: str) -> None:
        """Replace the stored token."""
        ...

    async def clear(self) -> None:
        """Forget the token; does nothing if there is none."""
        ...


class MemoryTokenStore:
    """Keeps the token in this process only: for tests, scripts and kiosk sessions."""

    def __init__(self, token: str | None = None) -> None:
        self._token = token

    async def load(self) -> str | None:
        return self._token

    async def save(self, token: str) -> None:
        self._token = token

    async def clear(self) -> None:
        self._token = None


class KeyringTokenStore:
    """Desktop secure storage via `keyring` (Keychain, Credential Manager, Secret Service).

    A host with no keyring backend raises `TokenStoreUnavailable` with a message the app can
    show, instead of keyring's own error. Calls run in a worker thread: some backends block on
    D-Bus or an unlock prompt.
    """

    def __init__(self, service: str = DEFAULT_SERVICE, key: str = DEFAULT_KEY) -> None:
        self._service = service
        self._key = key

    async def load(self) -> str | None:
        token = await self._call("get_password", self._service, self._key)
        return token if isinstance(token, str) and token else None

    async def save(self, token: str) -> None:
        await self._call("set_password", self._service, self._key, token)

    async def clear(self) -> None:
        import keyring.errors  # noqa: PLC0415 - lazy: the mobile app never loads keyring

        try:
            await self._call("delete_password", self._service, self._key)
        except keyring.errors.PasswordDeleteError:
            return  # nothing stored: clearing is idempotent

    async def _call(self, name: str, *args: str) -> Any:
        import keyring  # noqa: PLC0415 - lazy: the mobile app never loads keyring
        import keyring.errors  # noqa: PLC0415

        try:
            return await asyncio.to_thread(getattr(keyring, name), *args)
        except keyring.errors.NoKeyringError as exc:
            raise TokenStoreUnavailable() from exc
        except keyring.errors.PasswordDeleteError:
            raise
        except keyring.errors.KeyringError as exc:
            raise TokenStoreUnavailable(
                "The device's secure storage refused access; unlock it and try again."
            ) from exc


class FletSecureTokenStore:
    """Android/iOS (and desktop/web) secure storage through `flet_secure_storage.SecureStorage`.

    Imported lazily so scripts and the backend's tests never need flet; pass `storage` to reuse
    the one service the app already registered on its page.
    """

    def __init__(self, storage: Any = None, key: str = f"{DEFAULT_SERVICE}.{DEFAULT_KEY}") -> None:
        self._storage = storage
        self._key = key

    def _service(self) -> Any:
        if self._storage is None:
            import flet_secure_storage  # type: ignore[import-untyped]  # noqa: PLC0415 - lazy

            self._storage = flet_secure_storage.SecureStorage()
        return self._storage

    async def load(self) -> str | None:
        value = await self._service().get(self._key)
        return value if isinstance(value, str) and value else None

    async def save(self, token: str) -> None:
        await self._service().set(self._key, token)

    async def clear(self) -> None:
        await self._service().remove(self._key)
