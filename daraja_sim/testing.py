"""`SimController`: a small typed async client for the simulator's control API, for tests.

Tests call methods (`expire_tokens()`, `set_callback_mode("drop")`, `enter_pin(msisdn)`) instead of
hand-building `/__sim__/` URLs. Each call opens a short-lived connection unless a client is passed
in: controller objects are often created in synchronous fixtures and then used from a test's own
event loop, and a pooled `httpx.AsyncClient` must not cross loops.
"""

from __future__ import annotations

from typing import Any

import httpx

from daraja_sim.errors import SimControlError

__all__ = ["SimControlError", "SimController"]


class SimController:
    """Drive a running simulator at `base_url` through `/__sim__/`."""

    def __init__(
        self, base_url: str, *, client: httpx.AsyncClient | None = None, timeout: float = 15.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = client
        self._timeout = timeout

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        url = f"{self.base_url}/__sim__{path}"
        if self._client is not None:
            response = await self._client.request(method, url, **kwargs)
        else:
            async with httpx.AsyncClient(timeout=self._timeout, trust_env=False) as client:
                response = await client.request(method, url, **kwargs)
        if response.headers.get("content-type", "").startswith("application/json"):
            body = response.json()
        else:
            body = response.text
        if response.is_error:
            raise SimControlError(response.status_code, body)
        return body

    async def cert_pem(self) -> bytes:
        """Return the certificate to encrypt SecurityCredential with."""
        return str(await self._call("GET", "/cert.pem")).encode()

    async def expire_tokens(self) -> int:
        """Expire every access token now; return how many were live."""
        return int((await self._call("POST", "/tokens/expire"))["expired"])

    async def set_latency(self, seconds: float, path: str = "*") -> None:
        """Delay answers of `path` (or all Daraja APIs) by `seconds`; 0 removes the delay."""
        await self._call("POST", "/latency", json={"seconds": seconds, "path": path})

    async def set_fault(
        self, kind: str, path: str = "*", count: int | None = 1, seconds: float = 30.0
    ) -> None:
        """Make `path` answer as `kind` ("5xx", "spike", "quota", "timeout") `count` times.

        `count=None` keeps the fault until `clear_faults`; "timeout" acts on the request and then
        holds the answer back for `seconds`.
        """
        body = {"kind": kind, "path": path, "count": count, "seconds": seconds}
        await self._call("POST", "/faults", json=body)

    async def clear_faults(self) -> None:
        """Remove faults, latency, result timeouts and callback fault modes."""
        await self._call("POST", "/faults/clear")

    async def set_callback_mode(
        self, mode: str, count: int | None = None, seconds: float = 0.0
    ) -> None:
        """Mangle the next `count` callbacks: "drop", "duplicate", "delay", "reorder", "normal"."""
        body = {"mode": mode, "count": count, "seconds": seconds}
        await self._call("POST", "/callbacks/mode", json=body)

    async def time_out_results(self, count: int = 1) -> None:
        """Send the next `count` initiator requests' notices to QueueTimeOutURL instead."""
        await self._call("POST", "/results/timeout", json={"count": count})

    async def pay(
        self, shortcode: str, msisdn: str, amount: int, account: str = ""
    ) -> dict[str, Any]:
        """Pay a till (or, with `account`, a paybill) as a customer would (C2B); wait for it."""
        body = {"shortcode": shortcode, "msisdn": msisdn, "amount": amount, "account": account}
        result: dict[str, Any] = await self._call("POST", "/c2b/pay", json=body)
        return result

    async def prompts(self) -> list[dict[str, Any]]:
        """Return the open STK prompts waiting for a person."""
        result: list[dict[str, Any]] = await self._call("GET", "/prompts")
        return result

    async def enter_pin(self, msisdn: str, pin: str = "1234") -> dict[str, Any]:
        """Answer `msisdn`'s open prompt with `pin` (any 4 digits pays)."""
        result: dict[str, Any] = await self._call(
            "POST", f"/prompts/{msisdn}/pin", json={"pin": pin}
        )
        return result

    async def cancel_prompt(self, msisdn: str) -> dict[str, Any]:
        """Press Cancel on `msisdn`'s open prompt (ResultCode 1032)."""
        result: dict[str, Any] = await self._call("POST", f"/prompts/{msisdn}/cancel")
        return result

    async def stk_transaction(self, checkout_request_id: str) -> dict[str, Any]:
        """Return one STK push's state: pending, result_code, receipt."""
        result: dict[str, Any] = await self._call("GET", f"/stk/{checkout_request_id}")
        return result

    async def received(self, path: str | None = None) -> list[dict[str, Any]]:
        """Return the Daraja API requests received (secrets masked), optionally for one path."""
        params = {"path": path} if path else None
        result: list[dict[str, Any]] = await self._call("GET", "/received", params=params)
        return result

    async def sent(self, kind: str | None = None, url: str | None = None) -> list[dict[str, Any]]:
        """Return the callbacks sent so far, with the HTTP status each got."""
        params = {k: v for k, v in (("kind", kind), ("url", url)) if v}
        result: list[dict[str, Any]] = await self._call("GET", "/sent", params=params or None)
        return result

    async def clear_log(self) -> None:
        """Forget received and sent records."""
        await self._call("POST", "/log/clear")

    async def ledger(self) -> dict[str, Any]:
        """Return every balance and ledger entry."""
        result: dict[str, Any] = await self._call("GET", "/ledger")
        return result

    async def balance(self, party: str) -> int:
        """Return one customer's or shortcode's balance (opening balance if untouched)."""
        balances = (await self.ledger())["balances"]
        if party in balances:
            return int(balances[party])
        config = await self._call("GET", "/config")
        key = "customer_opening_balance" if len(party) == 12 else "org_opening_balance"
        return int(config[key])
