"""Everything one running backend holds: built at start-up from `Settings`, torn down at exit."""

from __future__ import annotations

import datetime as dt
import gc
import logging

import httpx
from sqlalchemy import select, text

from backend.core.clock import Clock, SystemClock
from backend.core.config import Settings
from backend.core.db import Database
from backend.core.logs import RedactSecrets, install_redaction, remove_redaction
from backend.core.security import SecretHasher, new_callback_secret
from backend.daraja import DarajaClient, DarajaCredentials, DarajaError
from backend.errors import Unavailable
from backend.models import AppSetting
from backend.schemas import Readiness
from backend.services.accounts import Accounts
from backend.services.callbacks import Callbacks
from backend.services.events import EventHub
from backend.services.flags import Flags
from backend.services.payments import Payments
from backend.services.reconcile import Reconciler
from backend.services.takings import TakingsReport
from backend.services.till import Till

log = logging.getLogger(__name__)
CALLBACK_SECRET_KEY = "callback_secret"  # noqa: S105 - the name of a row, not a secret


def daraja_client(
    settings: Settings,
    *,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> DarajaClient:
    """Build the Daraja client from settings (secrets leave `SecretStr` only here)."""
    credentials = DarajaCredentials(
        consumer_key=settings.daraja_consumer_key.get_secret_value(),
        consumer_secret=settings.daraja_consumer_secret.get_secret_value(),
        shortcode=settings.shortcode.strip(),
        passkey=settings.daraja_passkey.get_secret_value(),
        till_number=settings.till_number.strip() or None,
        initiator_name=settings.initiator_name or None,
        initiator_password=settings.initiator_password.get_secret_value() or None,
        certificate_path=settings.certificate_path,
    )
    return DarajaClient(
        credentials,
        environment=settings.daraja_env,
        base_url=settings.daraja_base_url,
        transport=transport,
        clock=clock,
        timeout=settings.daraja_timeout_seconds,
    )


async def ensure_callback_secret(db: Database, settings: Settings) -> str:
    """Use DUKA_CALLBACK_SECRET, else the one stored at first start, else make and store one."""
    if settings.callback_secret is not None and settings.callback_secret.get_secret_value():
        return settings.callback_secret.get_secret_value()
    async with db.write() as session:
        row = await session.get(AppSetting, CALLBACK_SECRET_KEY)
        if row is None:
            row = AppSetting(key=CALLBACK_SECRET_KEY, value=new_callback_secret())
            session.add(row)
        return row.value


class Runtime:
    """The services of one backend instance, wired together."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        daraja_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.db = Database(settings.database_url, settings.database_schema)
        self.hub = EventHub(self.db, heartbeat_seconds=settings.heartbeat_seconds)
        self.hasher = SecretHasher(settings.argon2_time_cost, settings.argon2_memory_kib)
        self.accounts = Accounts(
            self.db,
            self.hasher,
            self.clock,
            token_ttl=dt.timedelta(hours=settings.token_ttl_hours),
            max_failures=settings.login_max_failures,
            lockout=dt.timedelta(seconds=settings.login_lockout_seconds),
        )
        self._daraja_transport = daraja_transport
        self._daraja: DarajaClient | None = None
        self.callbacks = Callbacks(self.db, self.hub, self.clock, settings)
        self.payments = Payments(
            self.db,
            self.hub,
            self.clock,
            settings,
            daraja=self.daraja,
            callback_url=self.callback_url,
            after_ack=self.callbacks.apply_unmatched,
            match_orphans=self.callbacks.match_orphans,
        )
        self.reconciler = Reconciler(self.db, self.hub, self.clock, settings, self.daraja)
        self.reconciler.pushing = self.payments.pushing
        self.takings = TakingsReport(self.db)
        self.flags = Flags(
            self.db,
            self.hub,
            self.clock,
            unmatched_after=dt.timedelta(seconds=settings.unknown_push_timeout_seconds + 300),
        )
        self.till = Till(settings, self.daraja)
        self.callback_secret = ""
        self._redactor: RedactSecrets | None = None

    def daraja(self) -> DarajaClient:
        """The Daraja client, built on first use; `Unavailable` while M-PESA is not set up."""
        if self._daraja is None:
            try:
                self._daraja = daraja_client(
                    self.settings, clock=self.clock, transport=self._daraja_transport
                )
            except DarajaError as exc:
                raise Unavailable(
                    "M-PESA is not set up for this shop yet. Ask the owner to run "
                    "`python -m backend doctor`.",
                    code="daraja_not_configured",
                ) from exc
        return self._daraja

    def callback_url(self, kind: str) -> str:
        """The public URL Daraja calls for `kind` (stk, c2b/confirmation, …)."""
        return f"{self.settings.public_url}/callbacks/{self.callback_secret}/{kind}"

    async def start(self) -> None:
        self.callback_secret = await ensure_callback_secret(self.db, self.settings)
        s = self.settings
        self._redactor = install_redaction(
            self.callback_secret,
            s.daraja_consumer_key.get_secret_value(),
            s.daraja_consumer_secret.get_secret_value(),
            s.daraja_passkey.get_secret_value(),
            s.initiator_password.get_secret_value(),
        )
        await self.hub.start()
        self.reconciler.start()
        # Start-up objects (modules, routes, metadata) live forever: keep them out of the
        # collector's way so its pauses stay short while a thousand streams are open.
        gc.freeze()

    async def stop(self) -> None:
        if self._redactor is not None:
            remove_redaction(self._redactor)
        await self.reconciler.stop()
        await self.hub.stop()
        if self._daraja is not None:
            await self._daraja.aclose()
        await self.db.dispose()

    async def readiness(self) -> Readiness:
        database = daraja = False
        detail: list[str] = []
        try:
            async with self.db.read() as session:
                await session.execute(text("SELECT 1"))
                await session.execute(select(AppSetting.key).limit(1))
            database = True
        except Exception as exc:  # report, never raise: this is the health check
            detail.append(f"database: {type(exc).__name__}")
        try:
            await self.daraja().check_credentials()
            daraja = True
        except (DarajaError, Unavailable) as exc:
            detail.append(f"daraja: {getattr(exc, 'user_message', None) or exc}")
        status = "ready" if database and daraja else "not_ready"
        return Readiness(status=status, database=database, daraja=daraja, detail="; ".join(detail))
