"""Plain words for Daraja's result codes: what a cashier should tell the customer or do next."""

from __future__ import annotations

REASONS: dict[int, str] = {
    1: "Customer has insufficient funds",
    2: "The amount is below M-PESA's minimum",
    3: "The amount is above M-PESA's maximum for one payment",
    4: "The customer has reached their daily M-PESA limit",
    8: "The till has reached its maximum balance — tell the owner",
    17: "Wait a minute before charging this customer again",
    26: "M-PESA is busy — try again in a moment",
    1001: "Wait a minute before charging this customer again",
    1019: "The prompt expired — try again",
    1025: "M-PESA could not send the prompt — try again",
    1031: "Customer cancelled — ask them to try again",
    1032: "Customer cancelled — ask them to try again",
    1037: "Phone unreachable — show the till QR",
    2001: "Wrong PIN entered — ask the customer to try again",
    2028: "This till is not set up for M-PESA prompts — tell the owner",
    8006: "The customer's M-PESA PIN is locked — they must call Safaricom",
    9999: "M-PESA could not send the prompt — try again",
}


def plain_reason(code: int | None, desc: str = "") -> str:
    """Return the cashier-facing reason for a result code (Daraja's own text as a fallback)."""
    if code is not None and code in REASONS:
        return REASONS[code]
    return f"M-PESA declined the payment ({desc.strip() or code})"
