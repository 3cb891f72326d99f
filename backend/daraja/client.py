"""DarajaClient: one client, one credential set, one connection pool.

A thin facade: it validates nothing itself and owns no wire format; each call forwards to its API
family's module (`stk.py`, `b2c.py`, …) with the shared `Session`.
"""

from __future__ import annotations

from types import TracebackType

import httpx

from backend.daraja import b2b as _b2b
from backend.daraja import b2c as _b2c
from backend.daraja import balance as _balance
from backend.daraja import c2b as _c2b
from backend.daraja import qr as _qr
from backend.daraja import reversal as _reversal
from backend.daraja import status as _status
from backend.daraja import stk as _stk
from backend.daraja._clock import Clock, SystemClock
from backend.daraja._http import HttpCore
from backend.daraja._retry import RetryPolicy
from backend.daraja._session import Session
from backend.daraja.c2b import C2BRegisterAck
from backend.daraja.credentials import BASE_URLS, DarajaCredentials, Environment
from backend.daraja.errors import InvalidRequest
from backend.daraja.initiator import InitiatorAck
from backend.daraja.qr import DynamicQr
from backend.daraja.stk import StkPushAck, StkPushRequest, StkQueryResult


class DarajaClient:
    """Talks to Daraja for one merchant; use as `async with DarajaClient(...) as client:`.

    `base_url` overrides the environment's URL (the simulator); `transport` is the httpx seam for
    tests; `clock` drives Timestamps and token expiry. Concurrent calls share one token and pool.
    """

    def __init__(
        self,
        credentials: DarajaCredentials,
        *,
        environment: Environment = "sandbox",
        base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock | None = None,
        timeout: float | httpx.Timeout = 30.0,
        max_connections: int = 100,
        retry_attempts: int = 3,
        retry_backoff: float = 0.25,
    ) -> None:
        if environment not in BASE_URLS:
            raise InvalidRequest(
                "environment must be 'sandbox' or 'production'", field="environment"
            )
        if retry_attempts < 1:
            raise InvalidRequest("retry_attempts must be at least 1", field="retry_attempts")
        if max_connections < 1:
            raise InvalidRequest("max_connections must be at least 1", field="max_connections")
        http = HttpCore(
            (base_url or BASE_URLS[environment]).rstrip("/"),
            transport=transport,
            timeout=timeout,
            max_connections=max_connections,
        )
        self._session = Session(
            credentials,
            environment,
            http,
            clock or SystemClock(),
            RetryPolicy(attempts=retry_attempts, backoff=retry_backoff),
        )

    @property
    def credentials(self) -> DarajaCredentials:
        return self._session.credentials

    @property
    def oauth_requests(self) -> int:
        """How many OAuth token requests this client has made (for tests and benchmarks)."""
        return self._session.tokens.requests_made

    async def check_credentials(self) -> None:
        """Prove Daraja accepts the consumer key and secret; `AuthError` if it rejects them.

        Reuses the cached token when it is fresh (no request), else fetches one that later
        calls then share. Other failures are the usual ones (`ConnectFailed`, `DarajaUnavailable`…).
        """
        await self._session.tokens.get()

    async def stk_push(
        self,
        *,
        amount: int,
        phone: str | int,
        callback_url: str,
        account_reference: str,
        description: str,
    ) -> StkPushAck:
        """Put an M-PESA PIN prompt on `phone`; sent at most once (query if the answer is lost)."""
        request = StkPushRequest.build(
            amount=amount,
            phone=phone,
            callback_url=callback_url,
            account_reference=account_reference,
            description=description,
            https_only=self._session.https_only,
        )
        return await _stk.stk_push(self._session, request)

    async def stk_query(self, checkout_request_id: str) -> StkQueryResult:
        """Ask where a push stands; `pending` while the customer has not acted."""
        return await _stk.stk_query(self._session, checkout_request_id)

    async def register_c2b_urls(
        self,
        *,
        confirmation_url: str,
        validation_url: str,
        response_type: str = "Completed",
        shortcode: str | None = None,
        version: int = 2,
    ) -> C2BRegisterAck:
        """Tell M-PESA where to send till/paybill payments."""
        return await _c2b.register_c2b_urls(
            self._session,
            confirmation_url=confirmation_url,
            validation_url=validation_url,
            response_type=response_type,
            shortcode=shortcode,
            version=version,
        )

    async def b2c(
        self,
        *,
        amount: int,
        phone: str | int,
        command: str = "BusinessPayment",
        remarks: str,
        result_url: str,
        timeout_url: str,
        originator_conversation_id: str | None = None,
        occasion: str | None = None,
    ) -> InitiatorAck:
        """Pay a customer (B2C v3); reuse `originator_conversation_id` to resend safely."""
        return await _b2c.b2c(
            self._session,
            amount=amount,
            phone=phone,
            command=command,
            remarks=remarks,
            result_url=result_url,
            timeout_url=timeout_url,
            originator_conversation_id=originator_conversation_id,
            occasion=occasion,
        )

    async def b2b(
        self,
        *,
        amount: int,
        receiver: str,
        receiver_kind: str,
        account_reference: str | None = None,
        remarks: str,
        result_url: str,
        timeout_url: str,
    ) -> InitiatorAck:
        """Pay another business's paybill or till; sent at most once."""
        return await _b2b.b2b(
            self._session,
            amount=amount,
            receiver=receiver,
            receiver_kind=receiver_kind,
            account_reference=account_reference,
            remarks=remarks,
            result_url=result_url,
            timeout_url=timeout_url,
        )

    async def transaction_status(
        self,
        *,
        receipt: str | None,
        result_url: str,
        timeout_url: str,
        remarks: str,
        original_conversation_id: str | None = None,
    ) -> InitiatorAck:
        """Look up a receipt, or a request by its OriginatorConversationID (result_url)."""
        return await _status.transaction_status(
            self._session,
            receipt=receipt,
            result_url=result_url,
            timeout_url=timeout_url,
            remarks=remarks,
            original_conversation_id=original_conversation_id,
        )

    async def account_balance(
        self, *, result_url: str, timeout_url: str, remarks: str
    ) -> InitiatorAck:
        """Ask for the shortcode's balances; read them with `AccountBalance.from_result`."""
        return await _balance.account_balance(
            self._session, result_url=result_url, timeout_url=timeout_url, remarks=remarks
        )

    async def reversal(
        self, *, receipt: str, amount: int, result_url: str, timeout_url: str, remarks: str
    ) -> InitiatorAck:
        """Send a received payment back; sent at most once."""
        return await _reversal.reversal(
            self._session,
            receipt=receipt,
            amount=amount,
            result_url=result_url,
            timeout_url=timeout_url,
            remarks=remarks,
        )

    async def dynamic_qr(
        self, *, amount: int, ref_no: str, merchant_name: str, size: int = 300
    ) -> DynamicQr:
        """Get a QR code PNG that pays `amount` to this shop's till or paybill."""
        return await _qr.dynamic_qr(
            self._session, amount=amount, ref_no=ref_no, merchant_name=merchant_name, size=size
        )

    async def aclose(self) -> None:
        """Close the connection pool. Is idempotent."""
        await self._session.http.aclose()

    async def __aenter__(self) -> DarajaClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
