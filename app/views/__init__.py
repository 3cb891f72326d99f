"""Thin Flet views: one function per screen, reading view-models and calling their commands."""

from __future__ import annotations

from app.views.charge import charge_view
from app.views.context import ViewContext, with_id
from app.views.feed import connection_badge, feed_view
from app.views.money_balance import money_balance_view
from app.views.money_payouts import money_payouts_view
from app.views.money_refund import money_refund_view
from app.views.money_verify import money_verify_view
from app.views.payment import payment_view
from app.views.settings import settings_view
from app.views.signin import signin_view
from app.views.takings import takings_view
from app.views.team import team_view
from app.views.till_qr import till_qr_view
from app.views.transactions import transactions_view

__all__ = [
    "SCREENS",
    "ViewContext",
    "charge_view",
    "connection_badge",
    "feed_view",
    "money_balance_view",
    "money_payouts_view",
    "money_refund_view",
    "money_verify_view",
    "payment_view",
    "settings_view",
    "signin_view",
    "takings_view",
    "team_view",
    "till_qr_view",
    "transactions_view",
    "with_id",
]

SCREENS = {
    "signin": signin_view,
    "charge": charge_view,
    "payment": payment_view,
    "qr": till_qr_view,
    "feed": feed_view,
    "takings": takings_view,
    "transactions": transactions_view,
    "team": team_view,
    "settings": settings_view,
    "refund": money_refund_view,
    "payouts": money_payouts_view,
    "balance": money_balance_view,
    "verify": money_verify_view,
}
