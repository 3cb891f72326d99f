"""B2B payments between organisations (BusinessPayBill, BusinessBuyGoods, …), §7.7.

B2B's Result is the odd one: `ResultCode` is a string and `ReferenceItem` is a list; the balance
parameters use Java-style `{Amount={…}}` strings rather than JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from daraja_sim import fields
from daraja_sim.clock import daraja_timestamp
from daraja_sim.errors import LedgerError
from daraja_sim.initiator import (
    INITIATOR_INVALID,
    NOT_PERMITTED,
    SUCCESS_TEXT,
    Family,
    Outcome,
    money,
    param,
)
from daraja_sim.ledger import Entry
from daraja_sim.web import Request, Response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

FAMILY = Family(
    "b2b", True, True, "https://internalsandbox.safaricom.co.ke/mpesa/b2bresults/v1/submit"
)
COMMANDS = (
    "BusinessPayBill",
    "BusinessBuyGoods",
    "BusinessPayToBulk",
    "DisburseFundsToBusiness",
    "BusinessToBusinessTransfer",
    "MerchantToMerchantTransfer",
)


def java_balance(amount: int) -> str:
    """Format a balance the way B2B Results do: `{Amount={CurrencyCode=KES, …}}`."""
    minimum = amount * 100
    return f"{{Amount={{CurrencyCode=KES, MinimumAmount={minimum}, BasicAmount={money(amount)}}}}}"


async def payment_request(sim: Simulator, request: Request) -> Response:
    """POST /mpesa/b2b/v1/paymentrequest."""
    common = sim.initiator.common(request, family="default")
    body = common.body
    command = fields.choice(body, "CommandID", COMMANDS)
    fields.identifier_type(body, "SenderIdentifierType")
    fields.identifier_type(body, "RecieverIdentifierType")
    amount = fields.amount(body)
    party_a = fields.shortcode(body, "PartyA")
    party_b = fields.shortcode(body, "PartyB")
    reference = fields.text(body, "AccountReference", 13, required=command == "BusinessPayBill")
    fields.text(body, "Remarks", 100)
    outcome = _pay(
        sim,
        credential_ok=common.credential_ok,
        party_a=party_a,
        party_b=party_b,
        amount=amount,
        reference=reference,
    )
    outcome.reference = [param("BillReferenceNumber", reference)]
    return sim.initiator.respond(FAMILY, common, outcome)


def _pay(
    sim: Simulator, *, credential_ok: bool, party_a: str, party_b: str, amount: int, reference: str
) -> Outcome:
    if not credential_ok:
        return Outcome(*INITIATOR_INVALID)
    if not (sim.merchants.is_org(party_a) and sim.merchants.is_org(party_b)) or party_a == party_b:
        return Outcome(*NOT_PERMITTED)
    now = sim.now()
    receipt = sim.ids.receipt(now)
    try:
        sim.ledger.transfer(Entry(receipt, "b2b", party_a, party_b, amount, now, reference))
    except LedgerError:
        return Outcome(1, "The balance is insufficient for the transaction.")
    left = sim.ledger.balance(party_a)
    return Outcome(
        0,
        SUCCESS_TEXT,
        receipt,
        [
            param("DebitAccountBalance", java_balance(left)),
            param("Amount", float(amount)),
            param(
                "DebitPartyAffectedAccountBalance",
                f"Working Account|KES|{money(left)}|{money(left)}|0.00|0.00",
            ),
            param("TransCompletedTime", int(daraja_timestamp(now))),
            param("DebitPartyCharges", ""),
            param("ReceiverPartyPublicName", f"{party_b} - {sim.merchants.name_of(party_b)}"),
            param("Currency", "KES"),
            param("InitiatorAccountCurrentBalance", java_balance(left)),
        ],
    )
