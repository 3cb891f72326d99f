"""B2B: pay another business's paybill or till (REFERENCE.md §7.7). Never retried once sent."""

from __future__ import annotations

import re
from typing import Literal

from backend.daraja._rules import BUSINESS_AMOUNT, plain_text, whole_shillings
from backend.daraja._session import Session
from backend.daraja.errors import InvalidRequest
from backend.daraja.initiator import (
    InitiatorAck,
    ResultUrls,
    remarks_text,
    send_initiator_request,
)

PATH = "/mpesa/b2b/v1/paymentrequest"
ReceiverKind = Literal["paybill", "till"]
COMMAND_FOR = {"paybill": "BusinessPayBill", "till": "BusinessBuyGoods"}
B2B_ACCOUNT_REFERENCE_MAX = 13
_SHORTCODE = re.compile(r"[0-9]{5,7}")


async def b2b(
    session: Session,
    *,
    amount: int,
    receiver: str,
    receiver_kind: str,
    account_reference: str | None,
    remarks: str,
    result_url: str,
    timeout_url: str,
) -> InitiatorAck:
    """Pay a paybill (with an account reference) or a till."""
    if receiver_kind not in COMMAND_FOR:
        raise InvalidRequest("receiver_kind must be 'paybill' or 'till'", field="receiver_kind")
    if not isinstance(receiver, str) or not _SHORTCODE.fullmatch(receiver):
        raise InvalidRequest("receiver must be a 5 to 7 digit shortcode", field="receiver")
    reference = plain_text(
        account_reference,
        "account_reference",
        max_len=B2B_ACCOUNT_REFERENCE_MAX,
        required=receiver_kind == "paybill",
    )
    urls = ResultUrls.build(result_url, timeout_url, https_only=session.https_only)
    body = {
        "Initiator": "",
        "SecurityCredential": "",
        "CommandID": COMMAND_FOR[receiver_kind],
        "SenderIdentifierType": "4",
        "RecieverIdentifierType": "4",  # sic: Daraja's spelling
        "Amount": whole_shillings(amount, "amount", BUSINESS_AMOUNT),
        "PartyA": session.credentials.shortcode,
        "PartyB": receiver,
        "AccountReference": reference,
        "Remarks": remarks_text(remarks),
        **urls.to_wire(),
    }
    body["Initiator"], body["SecurityCredential"] = session.initiator()
    return await send_initiator_request(session, PATH, body, safe_to_repeat=False)
