"""STK Push (M-PESA Express) and STK Push Query: validation, prompts, settlement, callbacks.

Hot path: `push` parses one JSON body, checks fields and the Password (base64 of a short string,
no crypto), stores the transaction and schedules its settlement — nothing else. The callback body
follows §4 exactly: `ResultCode` a number, `CallbackMetadata` only on success, `TransactionDate` and
`PhoneNumber` numbers. The query answers §5's shapes: strings, and a 500 envelope while pending.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from daraja_sim import fields
from daraja_sim.clock import daraja_timestamp
from daraja_sim.customers import RESULT_DESCRIPTIONS, SCRIPTED, Delivery
from daraja_sim.errors import BadRequest, DarajaError, LedgerError
from daraja_sim.ledger import Entry
from daraja_sim.merchants import StkMerchant
from daraja_sim.web import Request, Response, json_response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

MAX_AMOUNT = 250_000
TRANSACTION_TYPES = ("CustomerPayBillOnline", "CustomerBuyGoodsOnline")
ACK_TEXT = "Success. Request accepted for processing"

MERCHANT_MISSING = DarajaError("500.001.1001", "Merchant does not exist")
WRONG_CREDENTIALS = DarajaError("500.001.1001", "Wrong credentials")
SUBSCRIBER_LOCKED = DarajaError(
    "500.001.1001",
    "Unable to lock subscriber, a transaction is already in process for the current subscriber",
)


@dataclass(slots=True)
class StkTransaction:
    """One STK push from acknowledgement to settlement."""

    checkout_id: str
    merchant_id: str
    merchant: StkMerchant
    party_b: str
    msisdn: str
    amount: int
    callback_url: str
    account_reference: str
    created: datetime
    interactive: bool
    product_ok: bool
    result_code: int | None = None
    receipt: str = ""
    settled_at: datetime | None = None

    @property
    def pending(self) -> bool:
        """Return whether the customer has not acted yet."""
        return self.result_code is None


def expected_password(shortcode: str, passkey: str, timestamp: str) -> str:
    """Return base64(shortcode + passkey + timestamp), the Password Daraja expects (§3.1)."""
    return base64.b64encode(f"{shortcode}{passkey}{timestamp}".encode()).decode()


class StkService:
    """Accept pushes, drive prompts to an outcome and answer queries."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self.transactions: dict[str, StkTransaction] = {}
        self.prompts: dict[str, StkTransaction] = {}
        self._last_paid: dict[tuple[str, int], float] = {}

    def _merchant(self, body: dict[str, Any]) -> StkMerchant:
        shortcode = fields.shortcode(body, "BusinessShortCode")
        password = body.get("Password")
        if not isinstance(password, str) or not password:
            raise BadRequest("Password")
        stamp = fields.timestamp(body)
        merchant = self._sim.merchants.stk.get(shortcode)
        if merchant is None:
            raise MERCHANT_MISSING
        if password != expected_password(shortcode, merchant.passkey, stamp):
            raise WRONG_CREDENTIALS
        return merchant

    async def push(self, request: Request) -> Response:
        """POST /mpesa/stkpush/v1/processrequest."""
        sim = self._sim
        sim.tokens.require(request)
        body = request.json_object(BadRequest("BusinessShortCode"))
        merchant = self._merchant(body)
        transaction_type = fields.choice(body, "TransactionType", TRANSACTION_TYPES)
        amount = fields.amount(body)
        if amount > MAX_AMOUNT:
            raise BadRequest("Amount")
        fields.msisdn(body, "PartyA")
        party_b = fields.shortcode(body, "PartyB")
        phone = fields.msisdn(body, "PhoneNumber")
        callback_url = fields.url(body, "CallBackURL")
        # Only TransactionDesc is optional (§3.1); a till push may leave the reference empty.
        paybill = transaction_type == "CustomerPayBillOnline"
        reference = fields.text(body, "AccountReference", 12, required=paybill)
        fields.text(body, "TransactionDesc", 13, required=False, min_len=0)
        script = SCRIPTED.get(phone)
        if script is None and phone in self.prompts:
            raise SUBSCRIBER_LOCKED
        now = sim.now()
        product_ok = transaction_type == merchant.transaction_type and party_b in merchant.party_b
        txn = StkTransaction(
            checkout_id=sim.ids.checkout_request_id(phone, now),
            merchant_id=sim.ids.merchant_request_id(),
            merchant=merchant,
            party_b=party_b,
            msisdn=phone,
            amount=amount,
            callback_url=callback_url,
            account_reference=reference,
            created=now,
            interactive=script is None,
            product_ok=product_ok,
        )
        self.transactions[txn.checkout_id] = txn
        self._start(txn)
        return json_response(
            {
                "MerchantRequestID": txn.merchant_id,
                "CheckoutRequestID": txn.checkout_id,
                "ResponseCode": "0",
                "ResponseDescription": ACK_TEXT,
                "CustomerMessage": ACK_TEXT,
            }
        )

    def _start(self, txn: StkTransaction) -> None:
        sim = self._sim
        delay = sim.config.callback_delay_seconds
        if not txn.product_ok:
            sim.later(delay, self._settle, txn, 2028)
            return
        script = SCRIPTED.get(txn.msisdn)
        if script is not None:
            sim.later(delay, self._settle, txn, script.result_code)
            return
        window = sim.config.rule17_window_seconds
        paid_at = self._last_paid.get((txn.msisdn, txn.amount))
        if paid_at is not None and time.monotonic() - paid_at < window:
            sim.later(delay, self._settle, txn, 17)
            return
        self.prompts[txn.msisdn] = txn
        sim.later(sim.config.prompt_timeout_seconds, self._time_out, txn)

    def _time_out(self, txn: StkTransaction) -> None:
        if txn.pending:
            self._settle(txn, 1037)

    def answer(self, msisdn: str, pin: str | None) -> StkTransaction:
        """Act on `msisdn`'s open prompt as the customer: a 4-digit PIN pays, None cancels."""
        txn = self.prompts.get(msisdn)
        if txn is None or not txn.pending:
            raise LookupError(f"no M-PESA prompt is waiting on {msisdn}")
        if pin is not None and not (len(pin) == 4 and pin.isdigit()):
            raise ValueError("Enter your 4-digit M-PESA PIN")
        self._settle(txn, 0 if pin is not None else 1032)
        return txn

    def _settle(self, txn: StkTransaction, code: int) -> None:
        if not txn.pending:
            return
        sim = self._sim
        now = sim.now()
        if self.prompts.get(txn.msisdn) is txn:
            del self.prompts[txn.msisdn]
        if code == 0:
            receipt = sim.ids.receipt(now)
            entry = Entry(receipt, "stk", txn.msisdn, txn.party_b, txn.amount, now)
            entry.reference = txn.account_reference
            try:
                sim.ledger.transfer(entry)
                txn.receipt = receipt
                if txn.interactive:
                    self._last_paid[(txn.msisdn, txn.amount)] = time.monotonic()
                sim.sms_paid(
                    txn.msisdn,
                    receipt,
                    txn.amount,
                    name=txn.merchant.name,
                    at=now,
                    account=txn.account_reference,
                )
            except LedgerError as exc:
                code = int(exc.result_code)
        txn.result_code = code
        txn.settled_at = now
        self._deliver(txn)

    def _deliver(self, txn: StkTransaction) -> None:
        script = SCRIPTED.get(txn.msisdn)
        delivery = script.delivery if script is not None and txn.product_ok else Delivery.ONCE
        if delivery is Delivery.NEVER:
            return
        body = self.callback_body(txn)
        queue = self._sim.callbacks
        delay = self._sim.config.slow_callback_seconds if delivery is Delivery.SLOW else 0.0
        queue.send("stk", txn.callback_url, body, delay)
        if delivery is Delivery.TWICE:
            queue.send("stk", txn.callback_url, body, delay)

    def callback_body(self, txn: StkTransaction) -> dict[str, Any]:
        """Return the §4 callback body for a settled transaction."""
        code = txn.result_code if txn.result_code is not None else 0
        callback: dict[str, Any] = {
            "MerchantRequestID": txn.merchant_id,
            "CheckoutRequestID": txn.checkout_id,
            "ResultCode": code,
            "ResultDesc": RESULT_DESCRIPTIONS.get(code, "Unknown result"),
        }
        if code == 0:
            assert txn.settled_at is not None
            items: list[dict[str, Any]] = [
                {"Name": "Amount", "Value": float(txn.amount)},
                {"Name": "MpesaReceiptNumber", "Value": txn.receipt},
            ]
            if self._sim.config.stk_balance_item:
                items.append({"Name": "Balance"})
            items += [
                {"Name": "TransactionDate", "Value": int(daraja_timestamp(txn.settled_at))},
                {"Name": "PhoneNumber", "Value": int(txn.msisdn)},
            ]
            callback["CallbackMetadata"] = {"Item": items}
        return {"Body": {"stkCallback": callback}}

    async def query(self, request: Request) -> Response:
        """POST /mpesa/stkpushquery/v1/query."""
        self._sim.tokens.require(request)
        body = request.json_object(BadRequest("BusinessShortCode"))
        merchant = self._merchant(body)
        checkout_id = body.get("CheckoutRequestID")
        txn = self.transactions.get(checkout_id) if isinstance(checkout_id, str) else None
        if txn is None or txn.merchant is not merchant:
            raise BadRequest("CheckoutRequestID")
        if txn.pending:
            # Pending is an error envelope, not a result (§5); requestId echoes the checkout ID.
            return json_response(
                {
                    "requestId": txn.checkout_id,
                    "errorCode": "500.001.1001",
                    "errorMessage": "The transaction is being processed",
                },
                500,
            )
        accepted = "successsfully" if self._sim.config.query_description_typo else "successfully"
        code = txn.result_code
        return json_response(
            {
                "ResponseCode": "0",
                "ResponseDescription": f"The service request has been accepted {accepted}",
                "MerchantRequestID": txn.merchant_id,
                "CheckoutRequestID": txn.checkout_id,
                "ResultCode": str(code),
                "ResultDesc": RESULT_DESCRIPTIONS.get(code or 0, "Unknown result"),
            }
        )


def prompt_text(txn: StkTransaction) -> str:
    """Return what the customer's handset shows for `txn`."""
    return f"Pay KSh {txn.amount:,} to {txn.merchant.name}? Enter M-PESA PIN"
