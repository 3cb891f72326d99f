"""Account Balance: answer from the ledger in Daraja's `Account|KES|a|b|c|d&…` format, §7.5.

The Result's `ResultCode` is a string here (unlike B2C), and a bad token is `401.002.01`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from daraja_sim import fields
from daraja_sim.clock import daraja_timestamp
from daraja_sim.initiator import (
    INITIATOR_INVALID,
    NOT_PERMITTED,
    SUCCESS_TEXT,
    Family,
    Outcome,
    money,
    param,
)
from daraja_sim.web import Request, Response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

FAMILY = Family(
    "balance", True, False, "https://internalsandbox.safaricom.co.ke/mpesa/abresults/v1/submit"
)


def balance_string(utility: int) -> str:
    """Return the five-account balance string with `utility` in the Utility Account."""
    accounts = [
        ("Working Account", 0),
        ("Float Account", 0),
        ("Utility Account", utility),
        ("Charges Paid Account", 0),
        ("Organization Settlement Account", 0),
    ]
    return "&".join(f"{name}|KES|{money(v)}|{money(v)}|0.00|0.00" for name, v in accounts)


async def query(sim: Simulator, request: Request) -> Response:
    """POST /mpesa/accountbalance/v1/query."""
    common = sim.initiator.common(request, family="balance")
    body = common.body
    fields.choice(body, "CommandID", ("AccountBalance",))
    party_a = fields.shortcode(body, "PartyA")
    fields.text(body, "Remarks", 100, required=False, min_len=0)
    if not common.credential_ok:
        outcome = Outcome(*INITIATOR_INVALID)
    elif not sim.merchants.is_org(party_a):
        outcome = Outcome(*NOT_PERMITTED)
    else:
        now = sim.now()
        outcome = Outcome(
            0,
            SUCCESS_TEXT,
            "",
            [
                param("AccountBalance", balance_string(sim.ledger.balance(party_a))),
                param("BOCompletedTime", int(daraja_timestamp(now))),
            ],
        )
    return sim.initiator.respond(FAMILY, common, outcome)
