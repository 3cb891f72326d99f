"""Phone numbers as people see them: masked everywhere except our own storage."""

from __future__ import annotations

import re

_DIGIT_RUNS = re.compile(r"\d+")


def mask_phone(msisdn: str) -> str:
    """Return `2547••••678` for `254712345678`."""
    return f"{msisdn[:4]}••••{msisdn[-3:]}" if len(msisdn) >= 8 else "••••"


def remask(daraja_masked: str) -> tuple[str, str]:
    """Restyle a number Daraja masked (`2547 ***** 126`, `25470****149`) as ours.

    Returns (display, searchable digits). C2B v1 sends a SHA-256 hash instead: show nothing of it.
    """
    text = daraja_masked.strip()
    if re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return "••••", ""
    if text.isdigit() and len(text) >= 10:
        return mask_phone(text), text[-3:]
    runs = _DIGIT_RUNS.findall(text)
    if len(runs) >= 2:
        return f"{runs[0]}••••{runs[-1]}", runs[-1]
    return ("••••", "") if not runs else (f"••••{runs[-1][-3:]}", runs[-1][-3:])
