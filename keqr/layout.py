"""Which EMVCo / KE-QR tags Duka writes and reads, with every guess about the unknowns in one place.

Source: `/work/shared/qr/KE-QR.md` (research notes; the CBK standard PDF itself was not available).
EMVCo rules the notes mark [spec] are followed as written (tlv.py, crc.py). What they mark unknown
is decided here, and only here, so that one edit changes it everywhere:

* **Till or paybill number** goes in the PSP template 28 as `[00 ke.go.qr][01 <number>]`. Safaricom
  puts the account in 28/01 in every real payload seen (§1.3), so this is the best-supported guess.
  A send-money code carries the phone as `2547…` there, as Safaricom's own personal QRs do.
* **Paybill account number** goes in the additional-data template as 62/01 (EMVCo "bill number"),
  where the two independent sources of §1.3 put it. Limited to 20 characters, Daraja's C2B
  `BillRefNumber` limit (REFERENCE §C2B); EMVCo would allow 25.
* **Till vs paybill marker.** The reference has no known M-PESA code for it. We write the M-PESA
  private template 83 as `[00 m-pesa.com][01 <code>]` with the codes in Daraja's Dynamic QR
  `TrxCode` order (`WA=01, SM=02, BG=03, PB=04, SB=05`): one unverified source maps 83/01 this way,
  and the only value ever observed (`02` on personal send-money QRs) agrees. So a till is `03`, a
  paybill `04`. 83/03 and 83/04 (meaning unknown) are not written. When reading a payload without
  83/01, a 62/01 account means paybill and a bare 28/01 means till (see `decode.py`).
* **Timestamp template 82** is not written: its format is unknown (§1.3) and a static sticker should
  not carry the time it was printed. **29** (Safaricom's GUID-only bank template), **64** (language
  template) and **81** (USSD) are not written either.
* **MCC 52** defaults to `0000`, what Safaricom's own QRs carry; callers may pass a real one.
* **Postal code 61** is `00`, as in every real Kenyan payload seen (the lib enforces 2 characters).
* **Amount 54** is always written with exactly two decimals (`150.00`), like the EMVCo, PromptPay,
  KHQR and synthetic KE-QR samples; integer shillings become `150.00`.
* **Initiation 01**: `11` static (no amount), `12` dynamic (an amount for one sale).

When reading, the mandatory KE-QR tags are 00, 01, 53, 58, 59 and 63 plus at least one merchant
account (IDs 02–51). 52 and 60 are optional, as Safaricom omits 60 and the lib calls 52 optional.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

# --- Top-level EMVCo IDs -------------------------------------------------------------------------
PAYLOAD_FORMAT: Final = "00"
INITIATION: Final = "01"
PSP_ACCOUNT: Final = "28"  # KE-QR mobile-money / PSP merchant account template
MCC: Final = "52"
CURRENCY: Final = "53"
AMOUNT: Final = "54"
COUNTRY: Final = "58"
MERCHANT_NAME: Final = "59"
MERCHANT_CITY: Final = "60"
POSTAL_CODE: Final = "61"
ADDITIONAL_DATA: Final = "62"
CRC: Final = "63"
MPESA_TEMPLATE: Final = "83"  # "reserved for Safaricom" (§1.3)

# --- Sub-IDs -------------------------------------------------------------------------------------
GUID: Final = "00"  # sub-ID 00 of every merchant account / unreserved template
PSP_NUMBER: Final = "01"  # 28/01: the till or paybill number
BILL_NUMBER: Final = "01"  # 62/01: the paybill account number
MPESA_KIND: Final = "01"  # 83/01: our till/paybill marker

# --- Values --------------------------------------------------------------------------------------
FORMAT_VERSION: Final = "01"
KE_GUID: Final = "ke.go.qr"
MPESA_GUID: Final = "m-pesa.com"
KES: Final = "404"
KENYA: Final = "KE"
DEFAULT_MCC: Final = "0000"
DEFAULT_POSTAL_CODE: Final = "00"
CRC_HEADER: Final = CRC + "04"

# --- Limits (characters) -------------------------------------------------------------------------
NAME_MAX: Final = 25
CITY_MAX: Final = 15
AMOUNT_MAX: Final = 13
ACCOUNT_MAX: Final = 20
NUMBER_DIGITS: Final = range(5, 8)  # shortcodes are 5–7 digits (REFERENCE, STK BusinessShortCode)
MSISDN_PATTERN: Final = (
    r"254[17]\d{8}"  # a Safaricom-style phone number, as 28/01 carries it (§1.4)
)
VALUE_MAX: Final = 99  # a 2-digit length field


class Initiation(StrEnum):
    """Point of initiation (tag 01): a reusable sticker or a code for one sale."""

    STATIC = "11"
    DYNAMIC = "12"


class Kind(StrEnum):
    """What a payload pays; the value is our 83/01 code (see the module docstring)."""

    AGENT = "01"  # withdraw cash at an agent till (WA)
    SEND_MONEY = "02"  # a person's phone number (SM): the only code seen in real payloads
    TILL = "03"  # Buy Goods (BG)
    PAYBILL = "04"  # Paybill with an account number (PB)
    BUSINESS = "05"  # send to business (SB)
    OTHER = ""  # no M-PESA account, e.g. a bank-only KE-QR such as Equity's template 29

    @classmethod
    def from_trx_code(cls, trx_code: str) -> Kind:
        """Map Daraja Dynamic QR's `TrxCode` (`BG`, `PB`, `SM`, `WA`, `SB`) to a kind."""
        try:
            return cls[_TRX_CODES[trx_code.upper()]]
        except (KeyError, AttributeError):
            raise ValueError(
                f"unknown TrxCode {trx_code!r}; expected one of {', '.join(_TRX_CODES)}"
            ) from None

    @property
    def trx_code(self) -> str | None:
        """Daraja Dynamic QR's `TrxCode` for this kind, or None for OTHER."""
        return next((code for code, name in _TRX_CODES.items() if name == self.name), None)


_TRX_CODES: Final = {
    "WA": "AGENT",
    "SM": "SEND_MONEY",
    "BG": "TILL",
    "PB": "PAYBILL",
    "SB": "BUSINESS",
}


def is_template(tag: str) -> bool:
    """Say whether a top-level ID holds nested objects (EMVCo: 26–51, 62, 64, 80–99)."""
    number = int(tag)
    return 26 <= number <= 51 or number in (62, 64) or number >= 80


def is_merchant_account(tag: str) -> bool:
    """Say whether a top-level ID is a merchant account (EMVCo 02–51: card schemes, templates)."""
    return 2 <= int(tag) <= 51
