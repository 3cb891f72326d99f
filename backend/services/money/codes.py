"""Plain words for the initiator APIs' result codes (REFERENCE.md §7.3-§7.6).

They differ from STK's: 2001 here is the *initiator's* credential, not a customer's PIN.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "1": "Not enough money in the shop's M-PESA account for this (code 1)",
    "2": "The amount is below M-PESA's minimum for this transaction (code 2)",
    "3": "The amount is above M-PESA's maximum for one transaction (code 3)",
    "4": "M-PESA's daily limit for this account is reached (code 4)",
    "8": "The receiving account is full (code 8)",
    "11": "The shop's M-PESA account cannot send money right now (code 11)",
    "21": "The initiator is not allowed to do this; ask Safaricom to add the role (code 21)",
    "2001": (
        "M-PESA refused the initiator name or password (code 2001); check them in the shop's "
        "settings"
    ),
    "2006": "The shop's M-PESA account is not active (code 2006)",
    "2028": "This shortcode is not set up for this M-PESA service (code 2028)",
    "2040": "That number is not registered for M-PESA (code 2040)",
    "8006": "The initiator is locked after wrong passwords; call Safaricom (code 8006)",
    "R000001": "This payment was already reversed (code R000001)",
    "R000002": "M-PESA has no transaction with that code (code R000002)",
    "SFC_IC0003": "That number is not on M-PESA (code SFC_IC0003)",
}
NOT_FOUND = "R000002"


def plain_reason(code: str | None, desc: str = "") -> str:
    """Return what the owner should read for a result code (M-PESA's own text as a fallback)."""
    if code is not None and code in REASONS:
        return REASONS[code]
    return f"M-PESA declined it ({desc.strip() or code})"
