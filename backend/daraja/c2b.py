"""C2B: register where M-PESA sends till/paybill payments, and the notification it sends (§6).

Registering the same URLs again is harmless, so transient failures are retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from backend.daraja._rules import callback_url
from backend.daraja._session import Session
from backend.daraja.credentials import check_shortcode
from backend.daraja.errors import InvalidRequest

RESPONSE_TYPES = frozenset({"Completed", "Cancelled"})


@dataclass(frozen=True, slots=True)
class C2BRegisterAck:
    """Daraja stored the confirmation and validation URLs."""

    originator_conversation_id: str | None
    response_code: str | None
    response_description: str


@dataclass(frozen=True, slots=True)
class C2BNotification:
    """A customer's payment to the till or paybill (validation or confirmation body)."""

    transaction_type: str
    trans_id: str
    trans_time: datetime
    amount: int
    shortcode: str
    bill_ref: str
    invoice_number: str
    org_account_balance: Decimal | None
    third_party_trans_id: str
    msisdn_masked: str
    first_name: str
    middle_name: str
    last_name: str

    @property
    def customer_name(self) -> str:
        """The names M-PESA shared, joined; may be empty."""
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


async def register_c2b_urls(
    session: Session,
    *,
    confirmation_url: str,
    validation_url: str,
    response_type: str,
    shortcode: str | None,
    version: int,
) -> C2BRegisterAck:
    """Tell M-PESA where to POST payments to `shortcode` (default: the credentials' shortcode)."""
    if response_type not in RESPONSE_TYPES:
        raise InvalidRequest(
            "response_type must be 'Completed' or 'Cancelled'", field="response_type"
        )
    if version not in (1, 2):
        raise InvalidRequest("version must be 1 or 2", field="version")
    target = check_shortcode(shortcode or session.credentials.shortcode, "shortcode")
    https = session.https_only
    body = {
        "ShortCode": target,
        "ResponseType": response_type,
        "ConfirmationURL": callback_url(
            confirmation_url, "confirmation_url", https_only=https, c2b=True
        ),
        "ValidationURL": callback_url(validation_url, "validation_url", https_only=https, c2b=True),
    }
    answer = await session.call(f"/mpesa/c2b/v{version}/registerurl", body, safe_to_repeat=True)
    code = answer.get("ResponseCode")
    # C2B answers spell it "OriginatorCoversationID" (REFERENCE.md §6.1).
    originator = answer.get("OriginatorCoversationID", answer.get("OriginatorConversationID"))
    return C2BRegisterAck(
        originator_conversation_id=None if originator is None else str(originator),
        response_code=None if code is None else str(code),
        response_description=str(answer.get("ResponseDescription", "")),
    )
