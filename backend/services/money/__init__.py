"""The owner's money tools: refunds, balance, verify a code, payouts, and their audit log.

Every tool is an initiator API at Daraja (Reversal, B2C, B2B, Transaction Status, Account
Balance): acknowledged now, answered later by a Result. `requests.py` tracks each one until it is
settled (and holds `Tool`, the wiring every tool is built from); `checks.py` recovers the ones
whose Result never came.
"""

from backend.services.money.errors import MpesaNoAnswer, MpesaRefused
from backend.services.money.tools import MoneyTools

__all__ = ["MoneyTools", "MpesaNoAnswer", "MpesaRefused"]
