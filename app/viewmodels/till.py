"""The till QR: the shop's till as a KE-QR code, static or with an amount, plus the number.

The payload is built here with `keqr` (the backend's `qr_payload` is used for the static code when
it sends one), so showing an amount needs no round trip while a customer waits.
"""

from __future__ import annotations

import base64
from typing import Any

import keqr
from app.formatting import format_ksh
from app.viewmodels._fields import field
from app.viewmodels.errors import describe
from app.viewmodels.observable import Observable

__all__ = ["TillViewModel"]


class TillViewModel(Observable):
    """Shop name, till number and QR image (base64 PNG) for an optional amount."""

    def __init__(self) -> None:
        super().__init__()
        self.name = ""
        self.number = ""
        self.kind = "till"
        self.static_payload: str | None = None
        self.amount: int | None = None
        self.error = ""
        self.loaded = False

    async def load(self, client: Any) -> None:
        """Fetch the till's details from the backend once per session."""
        try:
            till = await client.till()
        except Exception as exc:
            self.error = describe(exc)
        else:
            self.name = str(field(till, "name", default=""))
            self.number = str(field(till, "number", default=""))
            kind = field(till, "kind", default="till")
            self.kind = str(getattr(kind, "value", kind))
            self.static_payload = field(till, "qr_payload")
            self.error = ""
            self.loaded = True
        self.changed()

    def set_amount(self, amount: int | None) -> None:
        """Show the QR for `amount` (None: the static code, any amount)."""
        self.amount = amount if amount else None
        self.changed()

    @property
    def number_display(self) -> str:
        """The till number in groups of three for customers who type it: ``123 456``."""
        digits = self.number
        return " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))

    @property
    def amount_text(self) -> str:
        return format_ksh(self.amount) if self.amount else ""

    @property
    def payload(self) -> str | None:
        """The KE-QR text to draw, or None (no till yet, or one `qr_problem` explains)."""
        return self._build()[0]

    @property
    def qr_problem(self) -> str:
        """Why no QR can be drawn for this till, in keqr's words (e.g. a name with no Latin
        letters, a till number of the wrong length), or "" when it can.

        The owner types the shop name and till number, so a bad one is their input to fix, not
        a crash of the QR screen.
        """
        return self._build()[1]

    def _build(self) -> tuple[str | None, str]:
        if not self.number:
            return None, ""
        if self.amount is None and self.static_payload:
            return self.static_payload, ""
        try:
            return keqr.till_payload(self.number, self.name or "Duka", amount=self.amount), ""
        except keqr.InvalidField as exc:
            return None, exc.user_message

    @property
    def png_base64(self) -> str | None:
        """The QR as a base64 PNG for `ft.Image(src=...)`, or None until the till is known."""
        payload = self.payload
        if payload is None:
            return None
        return base64.b64encode(keqr.render_png(payload)).decode("ascii")
