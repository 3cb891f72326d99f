"""The control API under `/__sim__/`: steer the simulator from tests and demos (see README.md).

Not part of Daraja, so no token is needed; it is meant for loopback use only. Answers are JSON;
a bad control request gets a 400 envelope like Daraja's, never a traceback.
"""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING, Any

from daraja_sim.customers import is_msisdn
from daraja_sim.errors import DarajaError
from daraja_sim.security import certificate_pem
from daraja_sim.stk import prompt_text
from daraja_sim.web import Request, Response, Router, html_response, json_response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

PREFIX = "/__sim__"


def control_error(message: str) -> DarajaError:
    """Return the 400 envelope for a control request the simulator cannot act on."""
    return DarajaError("400.002.02", f"Bad Request - {message}")


def _body(request: Request) -> dict[str, Any]:
    # Lenient on Content-Type (unlike Daraja): people drive this API with curl.
    if not request.body.strip():
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise control_error("body must be a JSON object")
    return data


def _number(body: dict[str, Any], key: str, default: float | None = None) -> float | None:
    value = body.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise control_error(f"{key} must be a non-negative number")
    return float(value)


def _count(body: dict[str, Any]) -> int | None:
    value = body.get("count")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise control_error("count must be a positive integer or null")
    return value


class Control:
    """Handlers for every control endpoint."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    def mount(self, router: Router) -> None:
        """Register the control routes on `router`."""
        routes = [
            ("GET", "", self.docs),
            ("GET", "/", self.docs),
            ("GET", "/cert.pem", self.cert),
            ("GET", "/config", self.config),
            ("POST", "/tokens/expire", self.expire_tokens),
            ("POST", "/latency", self.latency),
            ("POST", "/faults", self.fault),
            ("POST", "/faults/clear", self.clear_faults),
            ("POST", "/callbacks/mode", self.callback_mode),
            ("POST", "/results/timeout", self.result_timeout),
            ("POST", "/c2b/pay", self.pay),
            ("GET", "/prompts", self.prompts),
            ("POST", "/prompts/*", self.act_on_prompt),
            ("GET", "/stk/*", self.stk_transaction),
            ("GET", "/received", self.received),
            ("GET", "/sent", self.sent),
            ("POST", "/log/clear", self.clear_log),
            ("GET", "/ledger", self.ledger),
        ]
        for method, path, handler in routes:
            router.add(method, PREFIX + path, handler)
        self._routes = routes

    async def docs(self, request: Request) -> Response:
        """GET /__sim__/: a short HTML index of this API."""
        items = "".join(
            f"<li><code>{escape((handler.__doc__ or '').split(':', 1)[0])}</code>: "
            f"{escape((handler.__doc__ or '').split(':', 1)[-1].strip())}</li>"
            for _, path, handler in self._routes
            if path not in ("", "/")
        )
        return html_response(
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>Simulator control API"
            "</title></head><body><h1>Daraja simulator: control API</h1>"
            "<p>JSON in, JSON out, no token. See daraja_sim/README.md for details.</p>"
            f"<ul>{items}</ul><p>Customer phones: <a href=/phone>/phone</a></p></body></html>"
        )

    async def cert(self, request: Request) -> Response:
        """GET /__sim__/cert.pem: the certificate to encrypt SecurityCredential with."""
        return Response(200, certificate_pem(), b"application/x-pem-file")

    async def config(self, request: Request) -> Response:
        """GET /__sim__/config: the non-secret settings."""
        cfg = self._sim.config
        return json_response(
            {
                "consumer_key": cfg.consumer_key,
                "seed": cfg.seed,
                "token_ttl_seconds": cfg.token_ttl_seconds,
                "callback_delay_seconds": cfg.callback_delay_seconds,
                "prompt_timeout_seconds": cfg.prompt_timeout_seconds,
                "slow_callback_seconds": cfg.slow_callback_seconds,
                "validation_timeout_seconds": cfg.validation_timeout_seconds,
                "public_name": cfg.public_name,
                "customer_opening_balance": cfg.customer_opening_balance,
                "org_opening_balance": cfg.org_opening_balance,
            }
        )

    async def expire_tokens(self, request: Request) -> Response:
        """POST /__sim__/tokens/expire: every token issued so far stops working now."""
        return json_response({"expired": self._sim.tokens.expire_all()})

    async def latency(self, request: Request) -> Response:
        """POST /__sim__/latency {"seconds", "path"?}: delay Daraja API answers."""
        body = _body(request)
        seconds = _number(body, "seconds", 0.0) or 0.0
        path = str(body.get("path") or "*")
        if seconds:
            self._sim.faults.latency[path] = seconds
        else:
            self._sim.faults.latency.pop(path, None)
        return json_response({"path": path, "seconds": seconds})

    async def fault(self, request: Request) -> Response:
        """POST /__sim__/faults {"kind", "path"?, "count"?, "seconds"?}: arm a fault."""
        body = _body(request)
        path = str(body.get("path") or "*")
        try:
            self._sim.faults.arm(
                path, str(body.get("kind")), _count(body), _number(body, "seconds", 30.0) or 0.0
            )
        except ValueError as exc:
            raise control_error(str(exc)) from None
        return json_response({"path": path, "kind": body.get("kind"), "count": body.get("count")})

    async def clear_faults(self, request: Request) -> Response:
        """POST /__sim__/faults/clear: no more faults, latency or result timeouts."""
        self._sim.faults.clear()
        self._sim.callbacks.set_mode("normal", None, 0.0)
        return json_response({"cleared": True})

    async def callback_mode(self, request: Request) -> Response:
        """POST /__sim__/callbacks/mode {"mode", "count"?, "seconds"?}: mangle callbacks."""
        body = _body(request)
        try:
            self._sim.callbacks.set_mode(
                str(body.get("mode")), _count(body), _number(body, "seconds", 0.0) or 0.0
            )
        except ValueError as exc:
            raise control_error(str(exc)) from None
        return json_response({"mode": body.get("mode"), "count": body.get("count")})

    async def result_timeout(self, request: Request) -> Response:
        """POST /__sim__/results/timeout {"count"}: next initiator requests time out."""
        count = _count(_body(request)) or 1
        self._sim.faults.result_timeouts += count
        return json_response({"pending_timeouts": self._sim.faults.result_timeouts})

    async def pay(self, request: Request) -> Response:
        """POST /__sim__/c2b/pay {"shortcode","msisdn","amount","account"?}: pay as a customer."""
        body = _body(request)
        shortcode = str(body.get("shortcode", ""))
        msisdn = str(body.get("msisdn", ""))
        amount = body.get("amount")
        account = str(body.get("account") or "")
        if not self._sim.merchants.can_register_c2b(shortcode):
            raise control_error("shortcode must be a till, store or 600xxx shortcode")
        if not is_msisdn(msisdn):
            raise control_error("msisdn must be 2547XXXXXXXX or 2541XXXXXXXX")
        if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 250_000:
            raise control_error("amount must be a whole number of shillings from 1 to 250000")
        command = "CustomerPayBillOnline" if account else "CustomerBuyGoodsOnline"
        return json_response(await self._sim.c2b.pay(shortcode, msisdn, amount, account, command))

    async def prompts(self, request: Request) -> Response:
        """GET /__sim__/prompts: the open STK prompts waiting for a person."""
        return json_response(
            [
                {
                    "msisdn": txn.msisdn,
                    "checkout_request_id": txn.checkout_id,
                    "amount": txn.amount,
                    "text": prompt_text(txn),
                }
                for txn in self._sim.stk.prompts.values()
            ]
        )

    async def act_on_prompt(self, request: Request) -> Response:
        """POST /__sim__/prompts/<msisdn>/pin {"pin"} or /cancel: act as the customer."""
        msisdn, _, action = request.params.get("tail", "").partition("/")
        if action not in ("pin", "cancel"):
            raise control_error("use /__sim__/prompts/<msisdn>/pin or /cancel")
        pin = str(_body(request).get("pin", "")) if action == "pin" else None
        try:
            txn = self._sim.stk.answer(msisdn, pin)
        except (LookupError, ValueError) as exc:
            raise control_error(str(exc).strip("'\"")) from None
        return json_response(
            {"checkout_request_id": txn.checkout_id, "result_code": txn.result_code}
        )

    async def stk_transaction(self, request: Request) -> Response:
        """GET /__sim__/stk/<CheckoutRequestID>: one push's state and receipt."""
        txn = self._sim.stk.transactions.get(request.params.get("tail", ""))
        if txn is None:
            raise DarajaError("404.001.01", "Resource not found")
        return json_response(
            {
                "checkout_request_id": txn.checkout_id,
                "msisdn": txn.msisdn,
                "amount": txn.amount,
                "pending": txn.pending,
                "result_code": txn.result_code,
                "receipt": txn.receipt or None,
            }
        )

    async def received(self, request: Request) -> Response:
        """GET /__sim__/received?path=: Daraja API requests received (secrets masked)."""
        path = request.query.get("path")
        items = [r for r in self._sim.activity.received if path is None or r["path"] == path]
        return json_response(items)

    async def sent(self, request: Request) -> Response:
        """GET /__sim__/sent?kind=&url=: callbacks sent, with the status each got."""
        kind = request.query.get("kind")
        url = request.query.get("url")
        items = [
            r
            for r in self._sim.activity.sent
            if (kind is None or r["kind"] == kind) and (url is None or r["url"] == url)
        ]
        return json_response(items)

    async def clear_log(self, request: Request) -> Response:
        """POST /__sim__/log/clear: forget received and sent records."""
        self._sim.activity.clear()
        return json_response({"cleared": True})

    async def ledger(self, request: Request) -> Response:
        """GET /__sim__/ledger: every balance and every entry."""
        ledger = self._sim.ledger
        return json_response(
            {
                "balances": ledger.snapshot(),
                "entries": [
                    {
                        "receipt": e.receipt,
                        "kind": e.kind,
                        "debit": e.debit,
                        "credit": e.credit,
                        "amount": e.amount,
                        "reference": e.reference,
                        "reversed_by": e.reversed_by,
                    }
                    for e in ledger.entries.values()
                ],
            }
        )
