"""Plain-Python view-models: observable state and commands, no Flet and no I/O of their own.

Importable with only the app's `[project]` dependencies (no fastapi, sqlalchemy or pydantic), so
behaviour is tested against the real backend without a screen and views stay thin.
"""

from __future__ import annotations

from app.viewmodels.charge import MAX_AMOUNT, ChargeForm, ChargeViewModel
from app.viewmodels.feed import FeedItem, FeedViewModel
from app.viewmodels.observable import Observable
from app.viewmodels.owner import (
    TakingsViewModel,
    TeamViewModel,
    TransactionsViewModel,
    today_in_nairobi,
)
from app.viewmodels.payment import PAYMENT_TIMEOUT_S, PaymentState, PaymentViewModel, TillPayment
from app.viewmodels.reasons import reason_key
from app.viewmodels.session import SessionViewModel, SignedInUser
from app.viewmodels.shell import CASHIER_ROUTES, OWNER_ROUTES, AppViewModel
from app.viewmodels.till import TillViewModel

__all__ = [
    "CASHIER_ROUTES",
    "MAX_AMOUNT",
    "OWNER_ROUTES",
    "PAYMENT_TIMEOUT_S",
    "AppViewModel",
    "ChargeForm",
    "ChargeViewModel",
    "FeedItem",
    "FeedViewModel",
    "Observable",
    "PaymentState",
    "PaymentViewModel",
    "SessionViewModel",
    "SignedInUser",
    "TakingsViewModel",
    "TeamViewModel",
    "TillPayment",
    "TillViewModel",
    "TransactionsViewModel",
    "reason_key",
    "today_in_nairobi",
]
