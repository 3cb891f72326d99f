"""Build KE-QR payload strings for M-PESA: a till (Buy Goods), a paybill, or any Daraja TrxCode.

The tag layout and every guess behind it are in `layout.py`; the input rules are in `fields.py`.
Payloads are deterministic: the same arguments always give the same string (no timestamp).
"""

from __future__ import annotations

from decimal import Decimal

from keqr import layout as L
from keqr.crc import seal
from keqr.errors import InvalidField
from keqr.fields import account_number, amount_text, merchant_text, phone_number, shortcode
from keqr.tlv import encode, template

Amount = int | Decimal | str

_NUMBER_FIELDS = {
    L.Kind.TILL: "till",
    L.Kind.PAYBILL: "paybill",
    L.Kind.AGENT: "agent till",
    L.Kind.BUSINESS: "business number",
}


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
    return mpesa_payload(L.Kind.TILL, till, name, amount, city, mcc=mcc)


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
    return mpesa_payload(L.Kind.PAYBILL, paybill, name, amount, city, account=account, mcc=mcc)


def mpesa_payload(
    kind: L.Kind,
    number: str | int,
    name: str,
    amount: Amount | None = None,
    city: str | None = None,
    *,
    account: str | int | None = None,
    mcc: str = L.DEFAULT_MCC,
) -> str:
    """Return the payload for any M-PESA destination, e.g. `Kind.from_trx_code(body["TrxCode"])`.

    `number` is a 5–7 digit shortcode, or a phone number for `Kind.SEND_MONEY`. Only a paybill
    takes (and needs) an `account`. Raises `InvalidField` naming the argument at fault.
    """
    if kind is L.Kind.OTHER or not isinstance(kind, L.Kind):
        raise InvalidField("kind", f"must be an M-PESA kind (till, paybill, …), got {kind!r}")
    if kind is L.Kind.SEND_MONEY:
        cpi = phone_number(number)
    else:
        cpi = shortcode(number, field=_NUMBER_FIELDS[kind])
    if kind is L.Kind.PAYBILL:
        if account is None:
            raise InvalidField("account", "is missing; a paybill needs the account number")
        account = account_number(account)
    elif account is not None:
        raise InvalidField("account", f"only a paybill takes an account number, not a {kind.name}")
    if not (isinstance(mcc, str) and len(mcc) == 4 and mcc.isascii() and mcc.isdigit()):
        raise InvalidField("mcc", f"must be 4 digits (ISO 18245), got {mcc!r}")
    initiation = L.Initiation.STATIC if amount is None else L.Initiation.DYNAMIC
    body = "".join(
        (
            encode(L.PAYLOAD_FORMAT, L.FORMAT_VERSION),
            encode(L.INITIATION, initiation.value),
            template(L.PSP_ACCOUNT, (L.GUID, L.KE_GUID), (L.PSP_NUMBER, cpi)),
            encode(L.MCC, mcc),
            encode(L.CURRENCY, L.KES),
            "" if amount is None else encode(L.AMOUNT, amount_text(amount)),
            encode(L.COUNTRY, L.KENYA),
            encode(L.MERCHANT_NAME, merchant_text(name, L.NAME_MAX, field="name")),
            _city(city),
            encode(L.POSTAL_CODE, L.DEFAULT_POSTAL_CODE),
            "" if account is None else template(L.ADDITIONAL_DATA, (L.BILL_NUMBER, str(account))),
            template(L.MPESA_TEMPLATE, (L.GUID, L.MPESA_GUID), (L.MPESA_KIND, kind.value)),
        )
    )
    return seal(body)


def _city(city: str | None) -> str:
    if city is None:
        return ""
    return encode(L.MERCHANT_CITY, merchant_text(city, L.CITY_MAX, field="city"))
