"""Transaction Status: look a receipt (or the original conversation) up in the ledger, §7.4.

Field errors use C2B/TxStatus's `400.003.02` code and a broken body `400.002.05` (§1.2). An unknown
receipt settles with `R000002` — the reference lists no status-specific failure code, so the
simulator reuses Daraja's "OriginalTransactionID is invalid" wording.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from daraja_sim import fields
from daraja_sim.clock import daraja_timestamp
from daraja_sim.customers import customer_name
from daraja_sim.errors import BadRequest, DarajaError
from daraja_sim.initiator import INITIATOR_INVALID, SUCCESS_TEXT, Family, Outcome, param
from daraja_sim.ledger import Entry
from daraja_sim.web import Request, Response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

FAMILY = Family(
    "status", False, False, "https://internalsandbox.safaricom.co.ke/mpesa/tatresults/v1/submit"
)
FIELD_CODE = "400.003.02"
BAD_PAYLOAD = DarajaError("400.002.05", "Invalid Request Payload")
REASON_TYPES = {
    "stk": "Pay Bill Online",
    "c2b": "Pay Merchant",
    "b2c": "Business Payment to Customer via API",
    "b2b": "Business Pay Bill",
    "reversal": "Reversal",
}


async def query(sim: Simulator, request: Request) -> Response:
    """POST /mpesa/transactionstatus/v1/query."""
    common = sim.initiator.common(
        request, family="status", field_code=FIELD_CODE, payload_error=BAD_PAYLOAD
    )
    body = common.body
    fields.choice(body, "CommandID", ("TransactionStatusQuery",), FIELD_CODE)
    fields.text(body, "PartyA", 12, code=FIELD_CODE)
    receipt = fields.text(body, "TransactionID", 20, required=False, min_len=0, code=FIELD_CODE)
    conversation = fields.text(
        body, "OriginalConversationID", 100, required=False, min_len=0, code=FIELD_CODE
    )
    if not receipt and not conversation:
        raise BadRequest("TransactionID", FIELD_CODE)
    if not common.credential_ok:
        return sim.initiator.respond(FAMILY, common, Outcome(*INITIATOR_INVALID))
    entry = sim.ledger.entries.get(receipt) if receipt else None
    if entry is None and conversation:
        entry = next(
            (e for e in sim.ledger.entries.values() if e.conversation_id == conversation), None
        )
    if entry is None:
        outcome = Outcome("R000002", "The OriginalTransactionID is invalid.", receipt)
    else:
        outcome = _found(sim, entry)
    return sim.initiator.respond(FAMILY, common, outcome)


def _party(sim: Simulator, party: str) -> str:
    if len(party) == 12:
        first, last = customer_name(party)
        return f"{party} - {first} {last}"
    return f"{party} - {sim.merchants.name_of(party)}"


def _found(sim: Simulator, entry: Entry) -> Outcome:
    stamp = int(daraja_timestamp(entry.at))
    return Outcome(
        0,
        SUCCESS_TEXT,
        entry.receipt,
        [
            param("DebitPartyName", _party(sim, entry.debit)),
            param("CreditPartyName", _party(sim, entry.credit)),
            param("OriginatorConversationID", entry.conversation_id or entry.receipt),
            param("InitiatedTime", stamp),
            param("FinalisedTime", stamp),
            param(
                "DebitAccountType", "MMF Account" if len(entry.debit) == 12 else "Utility Account"
            ),
            param("DebitPartyCharges", ""),
            param("TransactionReason"),  # Daraja sends this key without a Value (§7.2)
            param("ReasonType", REASON_TYPES.get(entry.kind, "Pay Bill Online")),
            param("TransactionStatus", "Reversed" if entry.reversed_by else "Completed"),
            param("Amount", float(entry.amount)),
            param("ConversationID", entry.conversation_id),
            param("ReceiptNo", entry.receipt),
        ],
    )
