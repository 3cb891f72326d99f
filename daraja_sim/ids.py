"""Receipt numbers and request IDs in Daraja's observed shapes (REFERENCE.md §12), unique per run.

A seeded `random.Random` makes a run reproducible; a per-simulator sequence number is composed into
every CheckoutRequestID so two pushes to one phone in the same millisecond still get distinct IDs
(the millisecond-and-subscriber shape alone collides under load).
"""

from __future__ import annotations

import itertools
import random
import string
from datetime import datetime

from daraja_sim.clock import nairobi

_UPPER_ALNUM = string.ascii_uppercase + string.digits
_TOKEN_CHARS = string.ascii_letters + string.digits
_DAY_LETTERS = "123456789ABCDEFGHIJKLMNOPQRSTUV"  # day 1..31: 1-9, then A=10 … V=31


def receipt_prefix(moment: datetime) -> str:
    """Return the three date characters receipts start with (e.g. 2024-07-06 → "SG6")."""
    local = nairobi(moment)
    year = chr(ord("A") + (local.year - 2006) % 26)  # L=2017, N=2019, S=2024
    month = chr(ord("A") + local.month - 1)
    return f"{year}{month}{_DAY_LETTERS[local.day - 1]}"


class IdFactory:
    """Mint every identifier the simulator hands out; never repeats a receipt or checkout ID."""

    def __init__(self, seed: int | None) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - identifiers for a simulator, not secrets
        self._sequence = itertools.count(1)
        self._receipts: set[str] = set()

    def _hex(self, length: int) -> str:
        return f"{self._rng.getrandbits(4 * length):0{length}x}"

    def checkout_request_id(self, msisdn: str, moment: datetime) -> str:
        """Return `ws_CO_<DDMMYYYYHHmmss><ms><9-digit subscriber><sequence>`."""
        local = nairobi(moment)
        stamp = local.strftime("%d%m%Y%H%M%S") + f"{local.microsecond // 1000:03d}"
        return f"ws_CO_{stamp}{msisdn[-9:]}{next(self._sequence)}"

    def merchant_request_id(self) -> str:
        """Return a new-style request ID such as `f1e2-4b95-a71d-b30d3cdbb7a7942864`."""
        tail = self._hex(12) + f"{self._rng.randrange(10**6):06d}"
        return f"{self._hex(4)}-{self._hex(4)}-{self._hex(4)}-{tail}"

    originator_conversation_id = merchant_request_id
    request_id = merchant_request_id

    def conversation_id(self, moment: datetime) -> str:
        """Return `AG_YYYYMMDD_` followed by 20 hex characters."""
        return f"AG_{nairobi(moment):%Y%m%d}_{self._hex(20)}"

    def receipt(self, moment: datetime) -> str:
        """Return a fresh 10-character receipt whose first three characters encode the date."""
        prefix = receipt_prefix(moment)
        while True:
            receipt = prefix + "".join(self._rng.choices(_UPPER_ALNUM, k=7))
            if receipt not in self._receipts:
                self._receipts.add(receipt)
                return receipt

    def token(self) -> str:
        """Return an opaque 28-character access token."""
        return "".join(self._rng.choices(_TOKEN_CHARS, k=28))
