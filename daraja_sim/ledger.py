"""Who holds how many shillings: customers and organisations, every movement under a receipt.

Money only moves by `transfer`, which debits one party and credits another by the same
whole-shilling amount, so the sum over all parties never changes: balances, payouts and reversals
add up to the shilling. Customers are 12-digit MSISDNs; organisations are 5-7 digit shortcodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from daraja_sim.errors import LedgerError


@dataclass(slots=True)
class Entry:
    """One completed movement of money."""

    receipt: str
    kind: str  # "stk", "c2b", "b2c", "b2b", "reversal"
    debit: str
    credit: str
    amount: int
    at: datetime
    reference: str = ""
    reversed_by: str | None = None
    conversation_id: str = ""


class Ledger:
    """Balances per customer and per shortcode, opened lazily with the configured amounts."""

    def __init__(self, customer_opening: int, org_opening: int) -> None:
        self._customer_opening = customer_opening
        self._org_opening = org_opening
        self._balances: dict[str, int] = {}
        self.entries: dict[str, Entry] = {}

    def balance(self, party: str) -> int:
        """Return `party`'s balance in whole shillings (opening it if new)."""
        if party not in self._balances:
            opening = self._customer_opening if len(party) == 12 else self._org_opening
            self._balances[party] = opening
        return self._balances[party]

    def transfer(self, entry: Entry) -> Entry:
        """Apply `entry`, or raise `LedgerError(1, …)` when the payer lacks the funds."""
        if self.balance(entry.debit) < entry.amount:
            raise LedgerError(1, "The balance is insufficient for the transaction.")
        self.balance(entry.credit)
        self._balances[entry.debit] -= entry.amount
        self._balances[entry.credit] += entry.amount
        self.entries[entry.receipt] = entry
        return entry

    def reverse(self, receipt: str, receiver: str, new_receipt: str, at: datetime) -> Entry:
        """Undo a customer payment `receipt` received by `receiver`; refuse twice (R000001)."""
        original = self.entries.get(receipt)
        if original is None or original.kind not in ("stk", "c2b") or original.credit != receiver:
            raise LedgerError("R000002", "The OriginalTransactionID is invalid.")
        if original.reversed_by is not None:
            raise LedgerError("R000001", "The transaction has already been reversed.")
        entry = Entry(new_receipt, "reversal", original.credit, original.debit, original.amount, at)
        entry.reference = receipt
        self.transfer(entry)
        original.reversed_by = new_receipt
        return entry

    def snapshot(self) -> dict[str, int]:
        """Return every opened party's balance."""
        return dict(self._balances)
