"""Reversal: send a received payment back (REFERENCE.md §7.6); moves money, so never resent."""

from __future__ import annotations

from backend.daraja._rules import BUSINESS_AMOUNT, receipt_number, whole_shillings
from backend.daraja._session import Session
from backend.daraja.initiator import (
    InitiatorAck,
    ResultUrls,
    occasion_text,
    remarks_text,
    send_initiator_request,
)

PATH = "/mpesa/reversal/v1/request"


async def reversal(
    session: Session,
    *,
    receipt: str,
    amount: int,
    result_url: str,
    timeout_url: str,
    remarks: str,
    occasion: str | None = None,
) -> InitiatorAck:
    """Reverse the payment with `receipt`; the outcome arrives at `result_url`."""
    urls = ResultUrls.build(result_url, timeout_url, https_only=session.https_only)
    body = {
        "Initiator": "",
        "SecurityCredential": "",
        "CommandID": "TransactionReversal",
        "TransactionID": receipt_number(receipt),
        "Amount": whole_shillings(amount, "amount", BUSINESS_AMOUNT),
        "ReceiverParty": session.credentials.shortcode,
        "RecieverIdentifierType": "11",  # sic: Daraja's spelling; "11" per the v3 docs
        "Remarks": remarks_text(remarks),
        **urls.to_wire(),
    }
    if occasion_value := occasion_text(occasion):
        body["Occasion"] = occasion_value
    body["Initiator"], body["SecurityCredential"] = session.initiator()
    return await send_initiator_request(session, PATH, body, safe_to_repeat=False)
