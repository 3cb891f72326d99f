"""The test phone numbers' scripted outcomes, customer names and their M-PESA SMS inboxes.

The table is a contract with other engineers' tests (README "Test phone numbers"): scripted numbers
behave the same every time, never wait for a person and are exempt from the lock/rule-17 limits.
Every other valid number is interactive and waits on `/phone/<msisdn>`.
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass
from enum import Enum


class Delivery(Enum):
    """How the STK callback for a scripted number is delivered."""

    ONCE = "once"
    NEVER = "never"
    TWICE = "twice"
    SLOW = "slow"


@dataclass(frozen=True, slots=True)
class Script:
    """A scripted number's outcome: the ResultCode it settles with and how the callback goes."""

    result_code: int
    delivery: Delivery = Delivery.ONCE


SCRIPTED: dict[str, Script] = {
    "254708374149": Script(0),  # Daraja's own sandbox test number
    "254700000000": Script(0),
    "254700000001": Script(1032),
    "254700000002": Script(2001),
    "254700000003": Script(1037),
    "254700000004": Script(1),
    "254700000005": Script(0, Delivery.NEVER),
    "254700000006": Script(0, Delivery.TWICE),
    "254700000007": Script(0, Delivery.SLOW),
    "254700000008": Script(1019),
    "254700000009": Script(8006),
    "254110000000": Script(0),
}

RESULT_DESCRIPTIONS: dict[int, str] = {
    0: "The service request is processed successfully.",
    1: "The balance is insufficient for the transaction.",
    17: "Rule limited.",
    1019: "Transaction has expired.",
    1032: "Request cancelled by user",
    1037: "DS timeout user cannot be reached",
    2001: "The initiator information is invalid.",
    2028: "The request is not permitted according to product assignment.",
    8006: "The security credential is locked.",
}

_FIRST = ("JOHN", "MARY", "PETER", "GRACE", "JAMES", "FAITH", "DAVID", "MERCY", "BRIAN", "AMINA")
_LAST = ("KAMAU", "WANJIKU", "OTIENO", "ACHIENG", "MWANGI", "NJERI", "KIPTOO", "MUTUA", "ODHIAMBO")


def customer_name(msisdn: str) -> tuple[str, str]:
    """Return a stable (first, last) name for a number, so SMS and C2B bodies look real."""
    digest = int(hashlib.sha256(msisdn.encode()).hexdigest()[:8], 16)
    return _FIRST[digest % len(_FIRST)], _LAST[(digest // 7) % len(_LAST)]


def is_msisdn(value: str) -> bool:
    """Return whether `value` is a 12-digit Safaricom number, `2547…` or `2541…` (§3.1)."""
    return len(value) == 12 and value.isdigit() and value[:4] in ("2547", "2541")


def masked_msisdn(msisdn: str) -> str:
    """Mask a number as C2B v2 callbacks do: `2547 ***** 126` (§6.2)."""
    return f"{msisdn[:4]} ***** {msisdn[-3:]}"


def hashed_msisdn(msisdn: str) -> str:
    """Hash a number as C2B v1 callbacks do: SHA-256 hex (§6.2)."""
    return hashlib.sha256(msisdn.encode()).hexdigest()


class Inboxes:
    """Each customer's recent M-PESA SMS confirmations, newest first, for the phone page."""

    def __init__(self, keep: int = 20) -> None:
        self._keep = keep
        self._messages: dict[str, deque[str]] = {}

    def add(self, msisdn: str, text: str) -> None:
        """Deliver one SMS to `msisdn`."""
        box = self._messages.get(msisdn)
        if box is None:
            box = self._messages[msisdn] = deque(maxlen=self._keep)
        box.appendleft(text)

    def messages(self, msisdn: str) -> list[str]:
        """Return `msisdn`'s messages, newest first."""
        return list(self._messages.get(msisdn, ()))
