"""Turn M-PESA's result codes into a plain reason and the cashier's next step.

Codes from the Daraja reference §4.1; anything unlisted falls back to M-PESA's own words.
"""

from __future__ import annotations

__all__ = ["reason_key"]

_BY_CODE: dict[int, str] = {
    1: "reason.insufficient",
    2: "reason.limit",
    3: "reason.limit",
    4: "reason.limit",
    17: "reason.busy",
    1001: "reason.busy",
    1019: "reason.timeout",
    1025: "reason.unreachable",
    1031: "reason.cancelled",
    1032: "reason.cancelled",
    1037: "reason.unreachable",
    2001: "reason.wrong_pin",
    8006: "reason.wrong_pin",
    9999: "reason.unreachable",
}


def reason_key(result_code: int | str | None, reason: str = "") -> str:
    """Return the catalogue key explaining a failed payment (``reason.unknown`` if unlisted)."""
    try:
        code = int(result_code) if result_code is not None else None
    except ValueError:
        code = None
    if code is not None and code in _BY_CODE:
        return _BY_CODE[code]
    lowered = reason.lower()
    if "cancel" in lowered:
        return "reason.cancelled"
    if "timeout" in lowered or "expired" in lowered or "unreachable" in lowered:
        return "reason.timeout"
    return "reason.unknown"
