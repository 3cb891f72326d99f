"""The cashier's home: an amount from a keypad, a phone number checked as it is typed.

The keypad builds the amount digit by digit, so there is never a decimal point or a stray letter to
reject: money is whole shillings. The phone is validated on every keystroke so the cashier sees a
problem before tapping Charge, not after the customer waited.

One sale on the form is one intent with one Idempotency-Key: every tap and every retry of the same
amount, customer and reference sends the same key, so the backend prompts the customer once however
often the request is repeated (a double tap, a retry after a timeout). Changing the sale, or
starting a new one, makes a new key.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.formatting import format_amount, format_ksh
from app.phone import mask_msisdn, parse_msisdn
from app.viewmodels.observable import Observable
from backend_client import new_idempotency_key

__all__ = ["MAX_AMOUNT", "ChargeForm", "ChargeViewModel"]

# Daraja's per-transaction ceiling for customer payments (KSh 250,000).
MAX_AMOUNT = 250_000
_MAX_DIGITS = len(str(MAX_AMOUNT)) + 1  # one more so "too big" can be shown, not silently eaten
_RECENT_LIMIT = 5
_REFERENCE_LIMIT = 12  # Daraja's AccountReference is at most 12 characters


@dataclass(frozen=True, slots=True)
class ChargeForm:
    """What one tap on Charge sends: already validated."""

    amount: int
    msisdn: str
    reference: str
    idempotency_key: str  # the same for every tap and retry of this sale


class ChargeViewModel(Observable):
    """Amount keypad, phone field, optional reference and masked recent customers."""

    def __init__(self) -> None:
        super().__init__()
        self.digits = ""
        self.phone_text = ""
        self.reference = ""
        self.recent: list[str] = []  # full MSISDNs, newest first; only masks are shown
        self._key = ""
        self._keyed: tuple[int, str | None, str] | None = None  # the sale `_key` names

    # ----- amount -------------------------------------------------------------------------
    @property
    def amount(self) -> int:
        """The amount typed so far, in whole shillings (0 when nothing is typed)."""
        return int(self.digits) if self.digits else 0

    @property
    def amount_display(self) -> str:
        """The amount with thousands separators, as the big display shows it."""
        return format_amount(self.amount)

    @property
    def amount_problem(self) -> str | None:
        """A catalogue key when the amount cannot be charged, else None."""
        if self.amount <= 0:
            return "charge.amount_zero"
        if self.amount > MAX_AMOUNT:
            return "charge.amount_too_big"
        return None

    def press_digit(self, digit: str) -> None:
        """Append one keypad digit ("0"–"9" or "00"); leading zeros are ignored."""
        if not digit.isdigit():
            raise ValueError(f"keypad digit expected, got {digit!r}")
        candidate = (self.digits + digit).lstrip("0")
        if len(candidate) > _MAX_DIGITS:
            return
        self.digits = candidate
        self.changed()

    def backspace(self) -> None:
        """Remove the last digit."""
        self.digits = self.digits[:-1]
        self.changed()

    def set_amount_text(self, text: str) -> None:
        """Take an amount typed on a hardware keyboard: keep its digits only (commas are fine)."""
        digits = "".join(ch for ch in text if ch.isdigit()).lstrip("0")
        self.digits = digits[:_MAX_DIGITS]
        self.changed()

    # ----- phone --------------------------------------------------------------------------
    def set_phone(self, text: str) -> None:
        """Take the phone field's text as typed; validation is instant."""
        self.phone_text = text
        self.changed()

    @property
    def msisdn(self) -> str | None:
        """The phone in M-PESA form (2547XXXXXXXX) when valid."""
        return parse_msisdn(self.phone_text)[0]

    @property
    def phone_problem(self) -> str | None:
        """A catalogue key describing what is wrong with the phone, or None when it is fine.

        An empty field is not shown as an error until the cashier tries to charge.
        """
        if not self.phone_text.strip():
            return None
        return parse_msisdn(self.phone_text)[1]

    @property
    def phone_masked(self) -> str:
        """The valid phone masked for display, or "" if not valid yet."""
        msisdn = self.msisdn
        return mask_msisdn(msisdn) if msisdn else ""

    @property
    def recent_masked(self) -> list[str]:
        """Recent customers, masked, newest first (indexes match `pick_recent`)."""
        return [mask_msisdn(m) for m in self.recent]

    def pick_recent(self, index: int) -> None:
        """Fill the phone from a recent customer."""
        self.phone_text = self.recent[index]
        self.changed()

    # ----- reference ----------------------------------------------------------------------
    def set_reference(self, text: str) -> None:
        """Take the optional reference, trimmed to what M-PESA accepts."""
        self.reference = text[:_REFERENCE_LIMIT]
        self.changed()

    # ----- submitting ---------------------------------------------------------------------
    @property
    def can_submit(self) -> bool:
        """True when one tap would send a valid request."""
        return self.amount_problem is None and self.msisdn is not None

    @property
    def submit_label_amount(self) -> str:
        """The amount on the Charge button ("KSh 1,500"), or "" with nothing typed."""
        return format_ksh(self.amount) if self.amount else ""

    @property
    def intent_key(self) -> str:
        """The Idempotency-Key of the sale on the form: unchanged until the sale itself changes.

        Retyping the phone in another form ("0712 345 678" for "0712345678") is the same sale.
        """
        sale = (self.amount, self.msisdn, self.reference.strip())
        if self._keyed != sale:
            self._key, self._keyed = new_idempotency_key(), sale
        return self._key

    def new_intent(self) -> None:
        """Make the next charge a new sale (a fresh prompt) even if the form is unchanged."""
        self._keyed = None

    def form(self) -> ChargeForm:
        """Return the validated form; raise ValueError naming the catalogue key of the problem."""
        problem = self.amount_problem or parse_msisdn(self.phone_text)[1]
        if problem is not None:
            raise ValueError(problem)
        assert self.msisdn is not None  # guaranteed by parse_msisdn returning no problem
        return ChargeForm(
            amount=self.amount,
            msisdn=self.msisdn,
            reference=self.reference.strip(),
            idempotency_key=self.intent_key,
        )

    def remember(self, msisdn: str) -> None:
        """Put a charged customer at the top of the recent list."""
        self.recent = [msisdn, *[m for m in self.recent if m != msisdn]][:_RECENT_LIMIT]
        self.changed()

    def reset(self) -> None:
        """Clear the form for the next sale (recent customers stay)."""
        self.digits = ""
        self.phone_text = ""
        self.reference = ""
        self.new_intent()
        self.changed()
