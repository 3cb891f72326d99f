"""Build KE-QR payload strings for an M-PESA till (Buy Goods) or paybill.

The tag layout and every guess behind it are in `layout.py`; the input rules are in `fields.py`.
Payloads are deterministic: the same arguments always give the same string (no timestamp).
"""

from __future__ import annotations

from decimal import Decimal

from keqr import layout as L
from keqr.crc import seal
from keqr.errors import InvalidField
from keqr.fields import account_number, amount_text, merchant_text, shortcode
from keqr.tlv import encode, template

Amount = int | Decimal | str


def till_payload(
    till: str | int,
    name: str,
    amount: Amount | None = None,
    city: str | None = None,
    *,
    mcc: str = L.DEFAULT_MCC,
) -> str:
    """Return the payload for a Buy Goods till: static without `amount`, dynamic with it.

    `name` and `city` are transliterated to ASCII and trimmed to 25 and 15 characters
    (`fields.merchant_text`). Raises `InvalidField` for a bad till, amount, name or MCC.
    """
    return _merchant_payload(
        L.Kind.TILL,
        number=shortcode(till, field="till"),
        account=None,
        name=name,
        amount=amount,
        city=city,
        mcc=mcc,
    )


def paybill_payload(
    paybill: str | int,
    account: str | int,
    name: str,
    amount: Amount | None = None,
    city: str | None = None,
    *,
    mcc: str = L.DEFAULT_MCC,
) -> str:
    """Return the payload for a paybill and the account number the customer pays into.

    The account goes in 62/01 exactly as given (never trimmed); see `layout.py` for why.
    Raises `InvalidField` for a bad paybill, account, amount, name or MCC.
    """
    return _merchant_payload(
        L.Kind.PAYBILL,
        number=shortcode(paybill, field="paybill"),
        account=account_number(account),
        name=name,
        amount=amount,
        city=city,
        mcc=mcc,
    )


def _merchant_payload(
    kind: L.Kind,
    *,
    number: str,
    account: str | None,
    name: str,
    amount: Amount | None,
    city: str | None,
    mcc: str,
) -> str:
    if not (len(mcc) == 4 and mcc.isascii() and mcc.isdigit()):
        raise InvalidField("mcc", f"must be 4 digits (ISO 18245), got {mcc!r}")
    initiation = L.Initiation.STATIC if amount is None else L.Initiation.DYNAMIC
    body = "".join(
        (
            encode(L.PAYLOAD_FORMAT, L.FORMAT_VERSION),
            encode(L.INITIATION, initiation.value),
            template(L.PSP_ACCOUNT, (L.GUID, L.KE_GUID), (L.PSP_NUMBER, number)),
            encode(L.MCC, mcc),
            encode(L.CURRENCY, L.KES),
            "" if amount is None else encode(L.AMOUNT, amount_text(amount)),
            encode(L.COUNTRY, L.KENYA),
            encode(L.MERCHANT_NAME, merchant_text(name, L.NAME_MAX, field="name")),
            _city(city),
            encode(L.POSTAL_CODE, L.DEFAULT_POSTAL_CODE),
            "" if account is None else template(L.ADDITIONAL_DATA, (L.BILL_NUMBER, account)),
            template(L.MPESA_TEMPLATE, (L.GUID, L.MPESA_GUID), (L.MPESA_KIND, kind.value)),
        )
    )
    return seal(body)


def _city(city: str | None) -> str:
    if city is None:
        return ""
    return encode(L.MERCHANT_CITY, merchant_text(city, L.CITY_MAX, field="city"))
