"""Signing in and out: which backend, who is signed in, and where the token is kept.

The token lives in a `backend_client.TokenStore` (keyring on desktop, flet-secure-storage where
keyring has no backend); signing out clears it. Only the token is ever stored, never the PIN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.viewmodels._fields import field
from app.viewmodels.errors import describe
from app.viewmodels.observable import Observable
from backend_client.client import DukaClient
from backend_client.errors import AuthExpired, InvalidInput
from backend_client.tokens import TokenStore

__all__ = ["ClientFactory", "SessionViewModel", "SignedInUser"]

ClientFactory = Callable[[str, TokenStore], DukaClient]


class SignedInUser:
    """Who is using the app: decides which screens exist."""

    def __init__(self, username: str, role: str, display_name: str = "") -> None:
        self.username = username
        self.role = role
        self.display_name = display_name or username

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"

    @classmethod
    def from_model(cls, model: Any) -> SignedInUser:
        user = field(model, "user", default=model)
        role = field(user, "role", default="cashier")
        return cls(
            username=str(field(user, "username", default="")),
            role=str(getattr(role, "value", role)),
            display_name=str(field(user, "display_name", "name", default="")),
        )


def _default_factory(base_url: str, store: TokenStore) -> DukaClient:
    return DukaClient(base_url, token_store=store)


class SessionViewModel(Observable):
    """The sign-in form and the signed-in session."""

    def __init__(
        self,
        *,
        token_store: TokenStore,
        server: str = "",
        client_factory: ClientFactory = _default_factory,
    ) -> None:
        super().__init__()
        self.server = server
        self.username = ""
        self.secret = ""
        self.busy = False
        self.error = ""  # a sentence, or a catalogue key starting with "signin."
        self.user: SignedInUser | None = None
        self.client: DukaClient | None = None
        self._store = token_store
        self._factory = client_factory

    @property
    def storage_notice(self) -> str:
        """A catalogue key when the token could only be kept in memory (else "")."""
        return str(getattr(self._store, "degraded", ""))

    @property
    def signed_in(self) -> bool:
        return self.user is not None and self.client is not None

    def set_field(self, name: str, value: str) -> None:
        """Update one form field (`server`, `username` or `secret`); clears the last error."""
        if name not in ("server", "username", "secret"):
            raise ValueError(f"unknown sign-in field {name!r}")
        setattr(self, name, value)
        self.error = ""
        self.changed()

    def _problem(self) -> str:
        server = self.server.strip()
        if not server:
            return "signin.missing_server"
        if not server.startswith(("http://", "https://")):
            return "signin.bad_server"
        if not self.username.strip():
            return "signin.missing_username"
        if not self.secret:
            return "signin.missing_secret"
        return ""

    async def sign_in(self) -> bool:
        """Sign in with the form; returns True on success. Errors land in `error`, never raise."""
        if self.busy:
            return False
        self.error = self._problem()
        if self.error:
            self.changed()
            return False
        self.busy = True
        self.changed()
        client: DukaClient | None = None
        try:
            client = self._factory(self.server.strip().rstrip("/"), self._store)
            result = await client.sign_in(self.username.strip(), self.secret)
            user = SignedInUser.from_model(result)
        except Exception as exc:  # every failure becomes a message on the form
            # Wrong credentials come back as a refusal (401 → InvalidInput); say it plainly, in
            # the cashier's language. Lockouts (RateLimited) and others keep their own message.
            wrong = isinstance(exc, InvalidInput) and exc.http_status in (400, 401)
            self.error = "signin.wrong" if wrong else describe(exc)
            if client is not None:
                await client.aclose()
            return False
        else:
            await self._replace_client(client)
            self.user = user
            self.secret = ""  # never keep the PIN around once it did its job
            return True
        finally:
            self.busy = False
            self.changed()

    async def restore(self, username: str, role: str) -> bool:
        """Resume a stored session at start-up; False (quietly) when there is none or it expired.

        The backend has no "who am I" route, so the profile saved at sign-in (`username`, `role`,
        not secret) names the user, and one cheap authenticated call proves the token still works.
        """
        if not (self.server.strip() and username and role):
            return False
        client: DukaClient | None = None
        try:
            client = self._factory(self.server.strip().rstrip("/"), self._store)
            if not await client.has_session():
                await client.aclose()
                return False
            await client.till()
        except Exception as exc:
            self.error = "" if _is_expected_restore_failure(exc) else describe(exc)
            if client is not None:
                await client.aclose()
            self.changed()
            return False
        await self._replace_client(client)
        self.user = SignedInUser(username=username, role=role)
        self.username = username
        self.changed()
        return True

    async def sign_out(self) -> None:
        """Forget the session here and on the backend; safe to call twice."""
        client, self.client, self.user = self.client, None, None
        if client is not None:
            try:
                await client.sign_out()
            except Exception:  # offline sign-out still forgets the token locally
                await self._store.clear()
            await client.aclose()
        else:
            await self._store.clear()
        self.changed()

    async def session_ended(self) -> None:
        """The backend said the token is no longer valid: back to sign-in with a reason."""
        await self.sign_out()
        self.error = "reason.session"
        self.changed()

    async def _replace_client(self, client: DukaClient) -> None:
        old, self.client = self.client, client
        if old is not None and old is not client:
            await old.aclose()


def _is_expected_restore_failure(exc: BaseException) -> bool:
    return isinstance(exc, AuthExpired)
