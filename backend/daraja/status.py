"""Transaction Status: look a receipt up; a read, so transient failures are retried (§7.4).

Without a receipt (a payout whose Result was lost), the original request's
OriginatorConversationID finds it instead (`OriginalConversationID`, newer docs, §7.4).
"""

from __future__ import annotations

from backend.daraja._rules import plain_text, receipt_number
from backend.daraja._session import Session
from backend.daraja.errors import InvalidRequest
from backend.daraja.initiator import (
    InitiatorAck,
    ResultUrls,
    occasion_text,
    remarks_text,
    send_initiator_request,
)

PATH = "/mpesa/transactionstatus/v1/query"


async def transaction_status(
    session: Session,
    *,
    receipt: str | None,
    result_url: str,
    timeout_url: str,
    remarks: str,
    occasion: str | None = None,
    original_conversation_id: str | None = None,
) -> InitiatorAck:
    """Ask M-PESA for a transaction's status; the answer arrives at `result_url`."""
    if receipt is None and not original_conversation_id:
        raise InvalidRequest(
            "give a receipt or the original OriginatorConversationID", field="receipt"
        )
    urls = ResultUrls.build(result_url, timeout_url, https_only=session.https_only)
    body = {
        "Initiator": "",
        "SecurityCredential": "",
        "CommandID": "TransactionStatusQuery",
        "TransactionID": receipt_number(receipt) if receipt is not None else "",
        "PartyA": session.credentials.shortcode,
        "IdentifierType": "4",
        "Remarks": remarks_text(remarks),
        "Occasion": occasion_text(occasion),
        **urls.to_wire(),
    }
    if original_conversation_id:
        body["OriginalConversationID"] = plain_text(
            original_conversation_id, "original_conversation_id", max_len=100
        )
    body["Initiator"], body["SecurityCredential"] = session.initiator()
    return await send_initiator_request(session, PATH, body, safe_to_repeat=True)
