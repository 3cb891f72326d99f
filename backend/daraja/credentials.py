"""One merchant's Daraja credentials, checked once when they are loaded.

Till versus paybill is decided here, by configuration, never by the caller at payment time:

- paybill: `shortcode` is the paybill number; STK sends `CustomerPayBillOnline` with
  `PartyB = shortcode`.
- till (Buy Goods): `shortcode` is the **store (head office) number** issued at Go Live and
  `till_number` is the till customers pay. STK sends `CustomerBuyGoodsOnline` with
  `BusinessShortCode = shortcode` (also inside the Password) and `PartyB = till_number`.

The classic trap is putting the till number in `BusinessShortCode`/Password (Daraja answers
500.001.1001 "Merchant does not exist" / "Wrong credentials"). It cannot happen here: the till
number only ever goes to `PartyB`. We do not reject `till_number == shortcode`: Safaricom documents
no rule that the two must differ, so refusing it could block a real merchant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from backend.daraja.errors import InvalidRequest

Environment = Literal["sandbox", "production"]

BASE_URLS: dict[str, str] = {
    "sandbox": "https://sandbox.safaricom.co.ke",
    "production": "https://api.safaricom.co.ke",
}

# REFERENCE.md §3.1: shortcodes are 5–7 digits (docs disagree between 5–6 and 5–7).
_SHORTCODE = re.compile(r"[0-9]{5,7}")


def check_shortcode(value: str, name: str) -> str:
    if not isinstance(value, str) or not _SHORTCODE.fullmatch(value):
        raise InvalidRequest(f"{name} must be 5 to 7 digits", field=name)
    return value


@dataclass(frozen=True, slots=True)
class DarajaCredentials:
    """Everything one Daraja app needs; secrets never appear in `repr`."""

    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    shortcode: str
    passkey: str | None = field(default=None, repr=False)
    till_number: str | None = None
    initiator_name: str | None = None
    initiator_password: str | None = field(default=None, repr=False)
    certificate_path: str | Path | None = None

    def __post_init__(self) -> None:
        if not self.consumer_key or not self.consumer_secret:
            raise InvalidRequest("consumer key and secret are required", field="consumer_key")
        check_shortcode(self.shortcode, "shortcode")
        if self.till_number is not None:
            check_shortcode(self.till_number, "till_number")
        if (self.initiator_name is None) != (self.initiator_password is None):
            raise InvalidRequest(
                "initiator_name and initiator_password go together", field="initiator_name"
            )

    @property
    def is_till(self) -> bool:
        """True when payments go to a Buy Goods till rather than a paybill."""
        return self.till_number is not None

    @property
    def stk_transaction_type(self) -> str:
        """`CustomerBuyGoodsOnline` for a till, `CustomerPayBillOnline` for a paybill."""
        return "CustomerBuyGoodsOnline" if self.is_till else "CustomerPayBillOnline"

    @property
    def stk_party_b(self) -> str:
        """Who receives an STK payment: the till number, or the paybill itself."""
        return self.till_number if self.till_number is not None else self.shortcode

    def require_passkey(self) -> str:
        """Return the passkey, or explain that STK needs one."""
        if not self.passkey:
            raise InvalidRequest("STK Push needs the Lipa na M-PESA passkey", field="passkey")
        return self.passkey

    def require_initiator(self) -> tuple[str, str]:
        """Return (name, password), or explain that this API needs an initiator."""
        if not self.initiator_name or not self.initiator_password:
            raise InvalidRequest(
                "this M-PESA API needs an initiator name and password", field="initiator_name"
            )
        return self.initiator_name, self.initiator_password
