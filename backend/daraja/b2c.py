"""B2C v3: pay a customer from the business (REFERENCE.md §7.3).

Never retried once it may have reached Daraja. Its OriginatorConversationID is the idempotency
key: pass your own and resending the same one after OutcomeUnknown is safe, because Daraja answers
a duplicate with 500.002.1001 (raised as DuplicateRequest) instead of paying twice.
"""

from __future__ import annotations

import uuid
from typing import Literal

from backend.daraja._rules import B2C_AMOUNT, plain_text, whole_shillings
from backend.daraja._session import Session
from backend.daraja.errors import InvalidRequest
from backend.daraja.initiator import (
    InitiatorAck,
    ResultUrls,
    occasion_text,
    remarks_text,
    send_initiator_request,
)
from backend.daraja.phone import normalise_msisdn

PATH = "/mpesa/b2c/v3/paymentrequest"
B2CCommand = Literal["BusinessPayment", "SalaryPayment", "PromotionPayment"]
COMMANDS = frozenset({"BusinessPayment", "SalaryPayment", "PromotionPayment"})


async def b2c(
    session: Session,
    *,
    amount: int,
    phone: str | int,
    command: str,
    remarks: str,
    result_url: str,
    timeout_url: str,
    originator_conversation_id: str | None,
    occasion: str | None,
) -> InitiatorAck:
    """Send money to a customer's M-PESA; at most once per OriginatorConversationID."""
    if command not in COMMANDS:
        raise InvalidRequest(f"command must be one of {sorted(COMMANDS)}", field="command")
    urls = ResultUrls.build(result_url, timeout_url, https_only=session.https_only)
    originator = (
        plain_text(originator_conversation_id, "originator_conversation_id", max_len=64)
        if originator_conversation_id is not None
        else str(uuid.uuid4())
    )
    body = {
        "OriginatorConversationID": originator,
        "InitiatorName": "",
        "SecurityCredential": "",
        "CommandID": command,
        "Amount": whole_shillings(amount, "amount", B2C_AMOUNT),
        "PartyA": session.credentials.shortcode,
        "PartyB": normalise_msisdn(phone),
        "Remarks": remarks_text(remarks),
        **urls.to_wire(),
    }
    if occasion_value := occasion_text(occasion):
        body["Occassion"] = occasion_value  # sic: the v3 docs' spelling (REFERENCE.md §7.3)
    body["InitiatorName"], body["SecurityCredential"] = session.initiator()
    return await send_initiator_request(session, PATH, body, safe_to_repeat=False)
