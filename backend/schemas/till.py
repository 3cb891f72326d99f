"""What the app needs to draw the till's QR."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class TillPublic(BaseModel):
    name: str
    kind: Literal["till", "paybill"]
    number: str
    account_rule: str
    qr_payload: str | None
    dynamic_qr: bool
