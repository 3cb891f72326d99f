"""What the app needs to draw the till's QR, and Daraja's Dynamic QR PNG (cached)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from backend.core.config import Settings
from backend.daraja import DarajaClient, DarajaError
from backend.errors import BadInput, Unavailable
from backend.schemas.till import TillPublic

CACHE_LIMIT = 256


class Till:
    def __init__(self, settings: Settings, daraja: Callable[[], DarajaClient]) -> None:
        self._settings = settings
        self._daraja = daraja
        self._png_cache: dict[int | None, bytes] = {}

    def describe(self) -> TillPublic:
        s = self._settings
        if s.is_till:
            number, kind, rule = s.till_number.strip(), "till", "No account number needed."
        else:
            number, kind = s.shortcode.strip(), "paybill"
            rule = "Account number: any reference, e.g. the receipt or table number."
        return TillPublic(
            name=s.shop_name,
            kind=kind,  # type: ignore[arg-type]
            number=number,
            account_rule=rule,
            qr_payload=self._payload(kind, number),
            dynamic_qr=s.dynamic_qr,
        )

    def _payload(self, kind: str, number: str) -> str | None:
        """The KE-QR string built locally by `keqr` (None when it cannot be built)."""
        if not number:
            return None
        try:
            keqr = importlib.import_module("keqr")
            if kind == "till":
                return str(keqr.till_payload(number, self._settings.shop_name))
            # A paybill QR must carry an account number; the shop's name is what owners use.
            account = "".join(ch for ch in self._settings.shop_name if ch.isalnum())[:12].upper()
            return str(keqr.paybill_payload(number, account or "DUKA", self._settings.shop_name))
        except Exception:  # keqr rejects a bad number/name: the app falls back to the digits
            return None

    async def qr_png(self, amount: int | None) -> bytes:
        """Daraja's Dynamic QR for an amount, as PNG bytes; cached per amount."""
        if not self._settings.dynamic_qr:
            raise Unavailable("Dynamic QR is not switched on for this shop.", code="qr_disabled")
        if amount is not None and not 1 <= amount <= 250_000:
            raise BadInput("The amount must be between KSh 1 and KSh 250,000.", field="amount")
        if amount in self._png_cache:
            return self._png_cache[amount]
        info = self.describe()
        try:
            qr = await self._daraja().dynamic_qr(
                merchant_name=info.name, ref_no=info.number, amount=amount or 1, size=300
            )
        except DarajaError as exc:
            raise Unavailable(exc.user_message, code="qr_unavailable") from exc
        png = qr.png_bytes
        if len(self._png_cache) >= CACHE_LIMIT:
            self._png_cache.clear()
        self._png_cache[amount] = png
        return png
