"""B2C payouts, v1 (legacy) and v3 (with the caller's OriginatorConversationID), §7.3.

The payout comes out of the shortcode's ledger balance and lands in the customer's; the Result
carries `TransactionCompletedDateTime` in B2C's own `DD.MM.YYYY HH:mm:ss` form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from daraja_sim import fields
from daraja_sim.clock import b2c_timestamp, sms_time
from daraja_sim.customers import customer_name
from daraja_sim.errors import DarajaError, LedgerError
from daraja_sim.initiator import (
    INITIATOR_INVALID,
    NOT_PERMITTED,
    SUCCESS_TEXT,
    Family,
    Outcome,
    param,
)
from daraja_sim.ledger import Entry
from daraja_sim.web import Request, Response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

FAMILY = Family(
    "b2c", False, False, "https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit"
)
COMMANDS = ("SalaryPayment", "BusinessPayment", "PromotionPayment")
MIN_AMOUNT, MAX_AMOUNT = 10, 250_000
DUPLICATE = DarajaError("500.002.1001", "Duplicate OriginatorConversationID.")


async def payment_request(sim: Simulator, request: Request, version: int) -> Response:
    """POST /mpesa/b2c/v1/paymentrequest and /mpesa/b2c/v3/paymentrequest."""
    common = sim.initiator.common(request, family="default", initiator_key="InitiatorName")
    body = common.body
    originator: str | None = None
    if version == 3:
        originator = fields.text(body, "OriginatorConversationID", 100)
    fields.choice(body, "CommandID", COMMANDS)
    amount = fields.amount(body)
    party_a = fields.shortcode(body, "PartyA")
    party_b = fields.msisdn(body, "PartyB")
    fields.text(body, "Remarks", 100, min_len=2)
    if originator is not None:
        seen = sim.b2c_originators
        if originator in seen:
            raise DUPLICATE
        seen.add(originator)
    return sim.initiator.respond(
        FAMILY, common, _pay(sim, common.credential_ok, party_a, party_b, amount), originator
    )


def _pay(sim: Simulator, credential_ok: bool, party_a: str, party_b: str, amount: int) -> Outcome:
    if not credential_ok:
        return Outcome(*INITIATOR_INVALID)
    if not sim.merchants.is_org(party_a):
        return Outcome(*NOT_PERMITTED)
    if amount < MIN_AMOUNT:
        return Outcome(2, "Declined due to limit rule: less than the minimum transaction amount.")
    if amount > MAX_AMOUNT:
        return Outcome(
            3, "Declined due to limit rule: greater than the maximum transaction amount."
        )
    now = sim.now()
    receipt = sim.ids.receipt(now)
    try:
        sim.ledger.transfer(Entry(receipt, "b2c", party_a, party_b, amount, now))
    except LedgerError:
        return Outcome(1, "The balance is insufficient for the transaction.")
    first, last = customer_name(party_b)
    org_name = sim.merchants.name_of(party_a)
    sim.sms(
        party_b,
        f"{receipt} Confirmed. You have received Ksh{amount:,.2f} from {org_name} on "
        f"{sms_time(now)} New M-PESA balance is Ksh{sim.ledger.balance(party_b):,.2f}.",
    )
    utility = float(sim.ledger.balance(party_a))
    return Outcome(
        0,
        SUCCESS_TEXT,
        receipt,
        [
            param("TransactionAmount", amount),
            param("TransactionReceipt", receipt),
            param("B2CRecipientIsRegisteredCustomer", "Y"),
            param("B2CChargesPaidAccountAvailableFunds", 0.0),
            param("ReceiverPartyPublicName", f"{party_b} - {first} {last}"),
            param("TransactionCompletedDateTime", b2c_timestamp(now)),
            param("B2CUtilityAccountAvailableFunds", utility),
            param("B2CWorkingAccountAvailableFunds", 0.0),
        ],
    )
