"""CRC-16/CCITT-FALSE as EMVCo and KE-QR use it for tag 63.

ISO/IEC 13239: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR, computed over
the UTF-8 bytes of everything before the CRC value *including* the literal `6304`, written as four
uppercase hex digits. The stdlib's `binascii.crc_hqx` with init 0xFFFF is exactly this algorithm.
"""

from __future__ import annotations

import binascii

from keqr.layout import CRC_HEADER


def crc16(text: str) -> str:
    """Return the CRC of UTF-8 `text` as 4 uppercase hex digits: `crc16("123456789") == "29B1"`."""
    return f"{binascii.crc_hqx(text.encode('utf-8'), 0xFFFF):04X}"


def seal(body: str) -> str:
    """Append the CRC object to a payload body: `body + "6304" + crc16(body + "6304")`."""
    signed = body + CRC_HEADER
    return signed + crc16(signed)
