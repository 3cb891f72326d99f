"""Reversal of a customer payment (STK or C2B) back to the customer, §7.6.

Only the organisation that received the payment may reverse it, only for the full amount, and only
once: a second attempt settles with `R000001`, an unknown receipt with `R000002`, as Daraja does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from daraja_sim import fields
from daraja_sim.clock import daraja_timestamp, sms_time
from daraja_sim.customers import customer_name
from daraja_sim.errors import LedgerError
from daraja_sim.initiator import INITIATOR_INVALID, SUCCESS_TEXT, Family, Outcome, money, param
from daraja_sim.web import Request, Response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

FAMILY = Family(
    "reversal",
    False,
    False,
    "https://internalsandbox.safaricom.co.ke/mpesa/reversalresults/v1/submit",
)


async def request(sim: Simulator, req: Request) -> Response:
    """POST /mpesa/reversal/v1/request."""
    common = sim.initiator.common(req, family="default")
    body = common.body
    fields.choice(body, "CommandID", ("TransactionReversal",))
    receipt = fields.text(body, "TransactionID", 20)
    amount = fields.amount(body)
    receiver = fields.shortcode(body, "ReceiverParty")
    fields.identifier_type(body, "RecieverIdentifierType")
    fields.text(body, "Remarks", 100, min_len=2)
    outcome = _reverse(sim, common.credential_ok, receipt, amount, receiver)
    return sim.initiator.respond(FAMILY, common, outcome)


def _reverse(
    sim: Simulator, credential_ok: bool, receipt: str, amount: int, receiver: str
) -> Outcome:
    if not credential_ok:
        return Outcome(*INITIATOR_INVALID)
    original = sim.ledger.entries.get(receipt)
    if original is not None and original.reversed_by is None and original.amount != amount:
        return Outcome(
            2, "Declined due to limit rule: amount differs from the original transaction."
        )
    now = sim.now()
    try:
        entry = sim.ledger.reverse(receipt, receiver, sim.ids.receipt(now), now)
    except LedgerError as exc:
        return Outcome(exc.result_code, exc.description)
    customer = entry.credit
    first, last = customer_name(customer)
    sim.sms(
        customer,
        f"{entry.receipt} Confirmed. Transaction {receipt} has been reversed. Your account balance "
        f"is now Ksh{sim.ledger.balance(customer):,.2f}. {sms_time(now)}",
    )
    left = sim.ledger.balance(receiver)
    return Outcome(
        0,
        SUCCESS_TEXT,
        entry.receipt,
        [
            param(
                "DebitAccountBalance", f"Utility Account|KES|{money(left)}|{money(left)}|0.00|0.00"
            ),
            param("Amount", float(amount)),
            param("TransCompletedTime", int(daraja_timestamp(now))),
            param("OriginalTransactionID", receipt),
            param("Charge", 0.0),
            param("CreditPartyPublicName", f"{customer} - {first} {last}"),
            param("DebitPartyPublicName", f"{receiver} - {sim.merchants.name_of(receiver)}"),
        ],
    )
