"""STK Push (M-PESA Express) and STK Push Query (REFERENCE.md §3–§5).

A push is sent at most once: it is never retried after it may have reached Daraja, because a
second request puts a second PIN prompt on the customer's phone. If the answer is lost the caller
gets OutcomeUnknown and should query, not resend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.daraja._http import STILL_PROCESSING
from backend.daraja._rules import STK_AMOUNT, plain_text, whole_shillings
from backend.daraja._rules import callback_url as check_callback_url
from backend.daraja._session import Session
from backend.daraja.errors import DarajaUnavailable, InvalidRequest, RejectedByMpesa
from backend.daraja.phone import normalise_msisdn

PUSH_PATH = "/mpesa/stkpush/v1/processrequest"
QUERY_PATH = "/mpesa/stkpushquery/v1/query"
ACCOUNT_REFERENCE_MAX = 12
DESCRIPTION_MAX = 13


@dataclass(frozen=True, slots=True)
class StkPushAck:
    """Daraja accepted the push for processing; the outcome comes by callback or query."""

    merchant_request_id: str
    checkout_request_id: str
    response_code: str
    response_description: str
    customer_message: str


@dataclass(frozen=True, slots=True)
class StkQueryResult:
    """Where an STK push stands; `pending` until the customer acts or it expires."""

    checkout_request_id: str
    pending: bool
    result_code: str | None = None
    result_desc: str | None = None
    merchant_request_id: str | None = None

    @property
    def paid(self) -> bool:
        return self.result_code == "0"


@dataclass(frozen=True, slots=True)
class StkCallback:
    """The outcome M-PESA POSTs to the CallBackURL; amount/receipt/date/phone only when paid."""

    merchant_request_id: str
    checkout_request_id: str
    result_code: int
    result_desc: str
    paid: bool
    amount: int | None = None
    receipt: str | None = None
    transaction_date: datetime | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class StkPushRequest:
    """A validated STK push; build it with `StkPushRequest.build`."""

    amount: int
    phone: str
    callback_url: str
    account_reference: str
    description: str

    @classmethod
    def build(
        cls,
        *,
        amount: object,
        phone: str | int,
        callback_url: str,
        account_reference: str,
        description: str,
        https_only: bool,
    ) -> StkPushRequest:
        """Check every field against Daraja's rules; raise InvalidRequest naming a bad one."""
        return cls(
            amount=whole_shillings(amount, "amount", STK_AMOUNT),
            phone=normalise_msisdn(phone),
            callback_url=check_callback_url(callback_url, "callback_url", https_only=https_only),
            account_reference=plain_text(
                account_reference, "account_reference", max_len=ACCOUNT_REFERENCE_MAX
            ),
            description=plain_text(description, "description", max_len=DESCRIPTION_MAX),
        )

    def to_wire(self, session: Session) -> dict[str, Any]:
        """Daraja's body; Password and Timestamp share one instant, till vs paybill is config."""
        password, timestamp = session.stk_password()
        creds = session.credentials
        return {
            "BusinessShortCode": creds.shortcode,
            "Password": password,
            "Timestamp": timestamp,
            "TransactionType": creds.stk_transaction_type,
            "Amount": self.amount,
            "PartyA": self.phone,
            "PartyB": creds.stk_party_b,
            "PhoneNumber": self.phone,
            "CallBackURL": self.callback_url,
            "AccountReference": self.account_reference,
            "TransactionDesc": self.description,
        }


async def stk_push(session: Session, request: StkPushRequest) -> StkPushAck:
    """Send one STK push; never resent once it may have reached Daraja."""
    body = await session.call(PUSH_PATH, request.to_wire(session), safe_to_repeat=False)
    try:
        ack = StkPushAck(
            merchant_request_id=str(body["MerchantRequestID"]),
            checkout_request_id=str(body["CheckoutRequestID"]),
            response_code=str(body.get("ResponseCode", "")),
            response_description=str(body.get("ResponseDescription", "")),
            customer_message=str(body.get("CustomerMessage", "")),
        )
    except KeyError as exc:
        raise DarajaUnavailable(f"STK push answer lacks {exc.args[0]}", raw=body) from None
    if ack.response_code != "0":
        raise RejectedByMpesa(
            f"STK push not accepted: {ack.response_code} {ack.response_description}",
            code=ack.response_code,
            raw=body,
        )
    return ack


async def stk_query(session: Session, checkout_request_id: str) -> StkQueryResult:
    """Ask where a push stands; safe to repeat, so transient failures are retried."""
    if not isinstance(checkout_request_id, str) or not checkout_request_id.strip():
        raise InvalidRequest("checkout_request_id is required", field="checkout_request_id")
    password, timestamp = session.stk_password()
    wire = {
        "BusinessShortCode": session.credentials.shortcode,
        "Password": password,
        "Timestamp": timestamp,
        "CheckoutRequestID": checkout_request_id.strip(),
    }
    try:
        body = await session.call(QUERY_PATH, wire, safe_to_repeat=True)
    except RejectedByMpesa as exc:
        # While the prompt is open Daraja answers 500.001.1001 "The transaction is being
        # processed" instead of a result (REFERENCE.md §5).
        if exc.code == "500.001.1001" and STILL_PROCESSING in exc.message.lower():
            return StkQueryResult(checkout_request_id=checkout_request_id, pending=True)
        raise
    result_code = body.get("ResultCode")
    if result_code is None:
        return StkQueryResult(
            checkout_request_id=checkout_request_id,
            pending=True,
            merchant_request_id=_opt_str(body.get("MerchantRequestID")),
        )
    return StkQueryResult(
        checkout_request_id=str(body.get("CheckoutRequestID") or checkout_request_id),
        pending=False,
        result_code=str(result_code).strip(),
        result_desc=_opt_str(body.get("ResultDesc")),
        merchant_request_id=_opt_str(body.get("MerchantRequestID")),
    )


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)
