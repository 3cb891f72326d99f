"""C2B: register URLs (v1 and v2), simulate payments, validation and confirmation requests (§6).

A payment (from `simulate`, the control API or the phone page) runs: funds check → validation
request to the registered ValidationURL (its answer honoured; when it is slow or down the registered
`ResponseType` decides) → ledger → confirmation request. v2 masks the MSISDN (`2547 ***** 126`), v1
sends its SHA-256 hex, as Daraja does; every value in those bodies is a string.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from daraja_sim import fields
from daraja_sim.clock import daraja_timestamp
from daraja_sim.customers import customer_name, hashed_msisdn, masked_msisdn
from daraja_sim.errors import BadRequest, DarajaError, DeliveryError, LedgerError
from daraja_sim.ledger import Entry
from daraja_sim.merchants import Registration
from daraja_sim.web import Request, Response, json_response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

BAD_PAYLOAD = DarajaError("400.002.05", "Invalid Request Payload")
FIELD_CODE = "400.003.02"
COMMANDS = {"CustomerPayBillOnline": "Pay Bill", "CustomerBuyGoodsOnline": "Buy Goods"}
# Daraja refuses these words, in any case, anywhere in a C2B URL (§6.1).
FORBIDDEN_WORDS = ("m-pesa", "mpesa", "safaricom", "exec", "exe", "cmd", "sql", "query")


def check_url_words(body: dict[str, Any], key: str) -> str:
    """Return the URL in `key`, refusing Daraja's forbidden words with its own message."""
    value = fields.url(body, key, FIELD_CODE)
    lowered = value.lower()
    for word in FORBIDDEN_WORDS:
        if word in lowered:
            label = "MPESA" if "pesa" in word else word.upper()
            raise BadRequest(key, FIELD_CODE, f" - URL has the word {label}")
    return value


class C2BService:
    """Registered URLs and the customer-to-business payment flow."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    async def register(self, request: Request, version: int) -> Response:
        """POST /mpesa/c2b/v{1,2}/registerurl."""
        sim = self._sim
        sim.tokens.require(request, "c2b")
        body = request.json_object(BAD_PAYLOAD)
        shortcode = fields.shortcode(body, "ShortCode", FIELD_CODE)
        response_type = fields.choice(body, "ResponseType", ("Completed", "Cancelled"), FIELD_CODE)
        confirmation = check_url_words(body, "ConfirmationURL")
        validation = check_url_words(body, "ValidationURL")
        if not sim.merchants.can_register_c2b(shortcode):
            raise BadRequest("ShortCode", FIELD_CODE)
        sim.merchants.registrations[shortcode] = Registration(
            version, response_type, confirmation, validation
        )
        originator = sim.ids.originator_conversation_id()
        if version == 1:
            return json_response(
                {
                    "OriginatorCoversationID": originator,
                    "ConversationID": "",
                    "ResponseDescription": "success",
                }
            )
        return json_response(
            {
                "OriginatorCoversationID": originator,
                "ResponseCode": "0",
                "ResponseDescription": "Success",
            }
        )

    async def simulate(self, request: Request, version: int) -> Response:
        """POST /mpesa/c2b/v{1,2}/simulate (sandbox only on the real Daraja)."""
        sim = self._sim
        sim.tokens.require(request, "c2b")
        body = request.json_object(BAD_PAYLOAD)
        shortcode = fields.shortcode(body, "ShortCode", FIELD_CODE)
        command = fields.choice(body, "CommandID", tuple(COMMANDS), FIELD_CODE)
        amount = fields.amount(body, "Amount", FIELD_CODE)
        msisdn = fields.msisdn(body, "Msisdn", FIELD_CODE)
        bill_ref = fields.text(
            body, "BillRefNumber", 20, required=False, min_len=0, code=FIELD_CODE
        )
        if not sim.merchants.can_register_c2b(shortcode):
            raise BadRequest("ShortCode", FIELD_CODE)
        sim.spawn(self.pay(shortcode, msisdn, amount, bill_ref, command))
        originator = sim.ids.originator_conversation_id()
        text = "Accept the service request successfully."
        if version == 1:
            return json_response(
                {
                    "ConversationID": sim.ids.conversation_id(sim.now()),
                    "OriginatorCoversationID": originator,
                    "ResponseDescription": text,
                }
            )
        return json_response(
            {
                "OriginatorCoversationID": originator,
                "ResponseCode": "0",
                "ResponseDescription": text,
            }
        )

    async def pay(
        self,
        shortcode: str,
        msisdn: str,
        amount: int,
        bill_ref: str = "",
        command: str = "CustomerBuyGoodsOnline",
    ) -> dict[str, Any]:
        """Pay `shortcode` from `msisdn` as a customer would; return what happened."""
        sim = self._sim
        now = sim.now()
        receipt = sim.ids.receipt(now)
        name = sim.merchants.name_of(shortcode)
        if sim.ledger.balance(msisdn) < amount:
            sim.sms(
                msisdn,
                f"Failed. You do not have enough money in your M-PESA account "
                f"to pay Ksh{amount:,.2f} to {name}.",
            )
            return {"TransID": receipt, "status": "failed", "reason": "insufficient funds"}
        registration = sim.merchants.registrations.get(shortcode)
        first, last = customer_name(msisdn)
        payload: dict[str, Any] = {
            "TransactionType": COMMANDS.get(command, "Buy Goods"),
            "TransID": receipt,
            "TransTime": daraja_timestamp(now),
            "TransAmount": f"{amount}.00",
            "BusinessShortCode": shortcode,
            "BillRefNumber": bill_ref,
            "InvoiceNumber": "",
            "OrgAccountBalance": "",
            "ThirdPartyTransID": "",
            "MSISDN": masked_msisdn(msisdn)
            if registration is None or registration.version == 2
            else hashed_msisdn(msisdn),
            "FirstName": first,
            "MiddleName": "",
            "LastName": last,
        }
        if (
            registration is not None
            and sim.config.external_validation
            and registration.validation_url
        ):
            accepted, third_party = await self._validate(registration, payload)
            if not accepted:
                sim.sms(
                    msisdn,
                    f"Failed. Your payment of Ksh{amount:,.2f} to {name} "
                    "was declined by the merchant.",
                )
                return {
                    "TransID": receipt,
                    "status": "rejected",
                    "reason": "rejected by validation",
                }
            payload["ThirdPartyTransID"] = third_party
        if sim.config.c2b_null_fields:
            payload["InvoiceNumber"] = None
            payload["ThirdPartyTransID"] = payload["ThirdPartyTransID"] or None
        try:
            sim.ledger.transfer(Entry(receipt, "c2b", msisdn, shortcode, amount, now, bill_ref))
        except LedgerError as exc:
            return {"TransID": receipt, "status": "failed", "reason": exc.description}
        sim.sms_paid(msisdn, receipt, amount, name=name, at=now, account=bill_ref)
        if registration is not None:
            payload["OrgAccountBalance"] = f"{sim.ledger.balance(shortcode)}.00"
            sim.callbacks.send("c2b_confirmation", registration.confirmation_url, payload)
        return {"TransID": receipt, "status": "completed", "reason": ""}

    async def _validate(
        self, registration: Registration, payload: dict[str, Any]
    ) -> tuple[bool, str]:
        """POST the validation request; return (accepted, ThirdPartyTransID)."""
        sim = self._sim
        record: dict[str, Any] = {
            "kind": "c2b_validation",
            "url": registration.validation_url,
            "body": dict(payload),
            "status": None,
            "error": None,
            "fault": None,
            "at": daraja_timestamp(sim.now()),
        }
        fallback = registration.response_type == "Completed"
        try:
            status, raw = await asyncio.wait_for(
                sim.callbacks.post(
                    registration.validation_url, json.dumps(payload, separators=(",", ":")).encode()
                ),
                sim.config.validation_timeout_seconds,
            )
            record["status"] = status
            answer = json.loads(raw)
        except (TimeoutError, DeliveryError, ValueError) as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"
            sim.activity.record_sent(record)
            return fallback, ""
        sim.activity.record_sent(record)
        if not (200 <= status < 300 and isinstance(answer, dict) and "ResultCode" in answer):
            return fallback, ""
        third_party = answer.get("ThirdPartyTransID")
        return str(answer["ResultCode"]) == "0", third_party if isinstance(third_party, str) else ""
