"""Account Balance: ask, then read the `AccountBalance` string from the Result (REFERENCE.md §7.5).

The result packs accounts as `Name|Currency|a|b|c|d` joined by `&`. Sources disagree on what the
four amounts mean; we follow the reading that the B2B sample's arithmetic confirms
(`current = available + reserved`): current, available, reserved, uncleared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from backend.daraja._clock import parse_daraja_time
from backend.daraja._session import Session
from backend.daraja.errors import CallbackParseError
from backend.daraja.initiator import (
    InitiatorAck,
    InitiatorResult,
    ResultUrls,
    remarks_text,
    send_initiator_request,
)

PATH = "/mpesa/accountbalance/v1/query"


@dataclass(frozen=True, slots=True)
class BalanceAccount:
    """One account of the shortcode; amounts in shillings with cents (balances are not whole)."""

    name: str
    currency: str
    current: Decimal
    available: Decimal
    reserved: Decimal
    uncleared: Decimal


@dataclass(frozen=True, slots=True)
class AccountBalance:
    """Every account's balance as M-PESA reported it."""

    accounts: tuple[BalanceAccount, ...]
    completed_at: datetime | None

    def account(self, name: str) -> BalanceAccount | None:
        """The account called `name` (e.g. "Utility Account"), if reported."""
        return next((a for a in self.accounts if a.name.lower() == name.lower()), None)

    @classmethod
    def from_result(cls, result: InitiatorResult) -> AccountBalance:
        """Read the balances out of a successful Account Balance result."""
        raw = result.parameters.get("AccountBalance")
        if not isinstance(raw, str) or not raw.strip():
            raise CallbackParseError("result has no AccountBalance parameter", raw=result)
        accounts = tuple(_account(chunk) for chunk in raw.split("&") if chunk.strip())
        completed = result.parameters.get("BOCompletedTime")
        try:
            completed_at = parse_daraja_time(str(int(completed))) if completed is not None else None
        except (ValueError, TypeError):
            completed_at = None
        return cls(accounts=accounts, completed_at=completed_at)


def _account(chunk: str) -> BalanceAccount:
    fields = chunk.strip().split("|")
    if len(fields) != 6:
        raise CallbackParseError(f"account balance entry has {len(fields)} fields, not 6")
    try:
        amounts = [Decimal(value or "0") for value in fields[2:]]
    except InvalidOperation as exc:
        raise CallbackParseError(f"account balance amount is not a number: {chunk}") from exc
    return BalanceAccount(fields[0], fields[1], *amounts)


async def account_balance(
    session: Session, *, result_url: str, timeout_url: str, remarks: str
) -> InitiatorAck:
    """Ask for the shortcode's balances; a read, so transient failures are retried."""
    urls = ResultUrls.build(result_url, timeout_url, https_only=session.https_only)
    body = {
        "Initiator": "",
        "SecurityCredential": "",
        "CommandID": "AccountBalance",
        "PartyA": session.credentials.shortcode,
        "IdentifierType": "4",
        "Remarks": remarks_text(remarks),
        **urls.to_wire(),
    }
    body["Initiator"], body["SecurityCredential"] = session.initiator()
    return await send_initiator_request(session, PATH, body, safe_to_repeat=True)
