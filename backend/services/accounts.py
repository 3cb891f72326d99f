"""Owners, cashiers and their sessions.

Owners sign in with a password, cashiers with a 4-6 digit PIN. A PIN space is small, so after
`login_max_failures` wrong tries in a row the account is locked for `login_lockout_seconds`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select, update

from backend.core.clock import Clock
from backend.core.db import Database
from backend.core.security import SecretHasher, new_token, token_digest
from backend.errors import BadInput, Conflict, LockedOut, NotAuthenticated, NotFound
from backend.models import AuthToken, User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")
PIN = re.compile(r"^\d{4,6}$")
MIN_PASSWORD = 8
OWNER, CASHIER = "owner", "cashier"


@dataclass(frozen=True)
class Session:
    """A signed-in user and the bearer token that proves it."""

    token: str
    user: User
    expires_at: dt.datetime


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise BadInput(
            "Usernames are 2-32 letters, digits, '.', '_' or '-', starting with a letter or digit.",
            field="username",
        )
    return name


def check_secret(role: str, secret: str) -> None:
    if role == CASHIER and not PIN.match(secret):
        raise BadInput("A cashier PIN is 4 to 6 digits.", field="pin")
    if role == OWNER and len(secret) < MIN_PASSWORD:
        raise BadInput(
            f"An owner password needs at least {MIN_PASSWORD} characters.", field="password"
        )


class Accounts:
    """Create users, sign them in and out, and resolve bearer tokens."""

    def __init__(
        self,
        db: Database,
        hasher: SecretHasher,
        clock: Clock,
        *,
        token_ttl: dt.timedelta,
        max_failures: int,
        lockout: dt.timedelta,
    ) -> None:
        self._db = db
        self._hasher = hasher
        self._clock = clock
        self._ttl = token_ttl
        self._max_failures = max_failures
        self._lockout = lockout

    async def create_user(self, *, username: str, role: str, secret: str) -> User:
        """Add an owner or cashier; refuses a taken username."""
        name = check_username(username)
        check_secret(role, secret)
        hashed = self._hasher.hash(secret)
        async with self._db.write() as session:
            if await session.scalar(select(User.id).where(User.username == name)):
                raise Conflict(f"The username '{name}' is already taken.")
            user = User(
                username=name,
                role=role,
                secret_hash=hashed,
                disabled=False,
                failed_logins=0,
                created_at=self._clock.now(),
            )
            session.add(user)
        return user

    async def sign_in(self, *, username: str, secret: str) -> Session:
        """Check a password/PIN and issue a token; counts failures towards a lockout."""
        name = username.strip().lower()
        now = self._clock.now()
        async with self._db.read() as session:
            user = await session.scalar(select(User).where(User.username == name))
        wrong = NotAuthenticated("Wrong username, password or PIN.", code="wrong_credentials")
        if user is None:
            self._hasher.verify(_DUMMY_HASH.get(self._hasher), secret)  # same time as a real try
            raise wrong
        if user.locked_until and user.locked_until > now:
            minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
            raise LockedOut(f"Too many wrong tries. Try again in about {minutes} minute(s).")
        ok = self._hasher.verify(user.secret_hash, secret)
        async with self._db.write() as session:
            if not ok:
                failures = user.failed_logins + 1
                locked = now + self._lockout if failures >= self._max_failures else None
                await session.execute(
                    update(User)
                    .where(User.id == user.id)
                    .values(failed_logins=0 if locked else failures, locked_until=locked)
                )
            elif user.disabled:
                pass
            else:
                await session.execute(
                    update(User)
                    .where(User.id == user.id)
                    .values(failed_logins=0, locked_until=None)
                )
                token = new_token()
                expires = now + self._ttl
                session.add(
                    AuthToken(
                        digest=token_digest(token),
                        user_id=user.id,
                        created_at=now,
                        expires_at=expires,
                        revoked=False,
                    )
                )
                return Session(token=token, user=user, expires_at=expires)
        if ok and user.disabled:
            raise NotAuthenticated("This account is disabled. Ask the owner.", code="disabled")
        raise wrong

    async def user_for_token(self, token: str) -> User:
        """Resolve a bearer token to its user, or raise `NotAuthenticated`."""
        now = self._clock.now()
        async with self._db.read() as session:
            row = (
                await session.execute(
                    select(User, AuthToken)
                    .join(AuthToken, AuthToken.user_id == User.id)
                    .where(AuthToken.digest == token_digest(token))
                )
            ).first()
        if row is None:
            raise NotAuthenticated("Please sign in.")
        user, auth = row
        if auth.revoked or auth.expires_at <= now or user.disabled:
            raise NotAuthenticated("Your session has ended. Please sign in again.")
        return user

    async def sign_out(self, token: str) -> None:
        """Revoke a token. Is idempotent."""
        async with self._db.write() as session:
            await session.execute(
                update(AuthToken)
                .where(AuthToken.digest == token_digest(token))
                .values(revoked=True)
            )

    async def list_cashiers(self) -> list[User]:
        async with self._db.read() as session:
            rows = await session.scalars(
                select(User).where(User.role == CASHIER).order_by(User.username)
            )
            return list(rows)

    async def update_cashier(
        self, cashier_id: int, *, pin: str | None = None, disabled: bool | None = None
    ) -> User:
        """Re-PIN and/or disable a cashier; disabling also revokes their sessions."""
        hashed = None
        if pin is not None:
            check_secret(CASHIER, pin)
            hashed = self._hasher.hash(pin)
        async with self._db.write() as session:
            user = await session.get(User, cashier_id)
            if user is None or user.role != CASHIER:
                raise NotFound("No such cashier.")
            if hashed is not None:
                user.secret_hash = hashed
                user.failed_logins = 0
                user.locked_until = None
            if disabled is not None:
                user.disabled = disabled
            if disabled or hashed is not None:
                await session.execute(
                    update(AuthToken).where(AuthToken.user_id == user.id).values(revoked=True)
                )
        return user

    async def usernames(self) -> dict[int, str]:
        async with self._db.read() as session:
            return {
                uid: name for uid, name in await session.execute(select(User.id, User.username))
            }


class _DummyHash:
    """A hash made at the hasher's cost, so unknown usernames take as long as known ones."""

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}

    def get(self, hasher: SecretHasher) -> str:
        key = id(hasher)
        if key not in self._cache:
            self._cache[key] = hasher.hash("not-a-real-secret")
        return self._cache[key]


_DUMMY_HASH = _DummyHash()
