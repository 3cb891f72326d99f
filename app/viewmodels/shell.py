"""The app as a whole: which screen is showing, language and theme, and the session's parts.

Holds one view-model per screen and wires them together (feed events → the payment in progress;
charge → payment). It owns no I/O of its own beyond calling the client through its view-models, so
the whole cashier flow can be driven from a test without a screen.
"""

from __future__ import annotations

import contextlib
from typing import Any

from app.i18n import Translator
from app.viewmodels.charge import ChargeViewModel
from app.viewmodels.errors import describe, is_auth_expired
from app.viewmodels.feed import FeedViewModel
from app.viewmodels.money import MoneyViewModels
from app.viewmodels.observable import Observable
from app.viewmodels.owner import TakingsViewModel, TeamViewModel, TransactionsViewModel
from app.viewmodels.payment import PaymentState, PaymentViewModel
from app.viewmodels.session import ClientFactory, SessionViewModel, _default_factory
from app.viewmodels.till import TillViewModel
from backend_client.tokens import TokenStore

__all__ = ["CASHIER_ROUTES", "NAV_SLOTS", "OWNER_PRIMARY", "OWNER_ROUTES", "AppViewModel"]

CASHIER_ROUTES = ("charge", "feed", "qr", "verify", "settings")
OWNER_ROUTES = (
    "charge",
    "feed",
    "qr",
    "takings",
    "transactions",
    "payouts",
    "balance",
    "verify",
    "team",
    "settings",
)
# A phone's bottom bar holds this many tabs in one row at 48 px+ each; past that, the last slot
# becomes "More" and the owner's daily screens keep the other four.
NAV_SLOTS = 5
OWNER_PRIMARY = ("takings", "charge", "feed", "transactions")
# Screens opened from another one light up the tab they belong to.
_TAB_OF = {"payment": "charge", "refund": "transactions"}


class AppViewModel(Observable):
    """Root state: route, language, theme and every screen's view-model."""

    def __init__(
        self,
        *,
        token_store: TokenStore,
        server: str = "",
        language: str = "en",
        theme: str = "light",
        client_factory: ClientFactory = _default_factory,
    ) -> None:
        super().__init__()
        self.t = Translator(language)
        self.theme = theme  # "light" | "dark" | "system"
        self.route = "signin"
        self.session = SessionViewModel(
            token_store=token_store, server=server, client_factory=client_factory
        )
        self.charge = ChargeViewModel()
        self.payment: PaymentViewModel | None = None
        self.charge_error = ""  # a catalogue key when the form was refused on Charge
        self.feed = self._new_feed()
        self.till = TillViewModel()
        self.takings = TakingsViewModel()
        self.transactions = TransactionsViewModel()
        self.team = TeamViewModel()
        self.money = MoneyViewModels()

    def _new_feed(self) -> FeedViewModel:
        """An empty feed wired to this app: payments to the sale, session end, reconnects."""
        feed = FeedViewModel()
        feed.payment_listeners.append(self._route_payment)
        feed.on_session_ended = self.session_ended
        feed.on_reconnected = self.refresh_payment
        return feed

    # ----- settings ---------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.t.language

    def set_language(self, language: str) -> None:
        self.t = Translator(language)
        self.changed()

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self.changed()

    # ----- navigation -------------------------------------------------------------------------
    @property
    def routes(self) -> tuple[str, ...]:
        user = self.session.user
        if user is None:
            return ()
        return OWNER_ROUTES if user.is_owner else CASHIER_ROUTES

    @property
    def nav_primary(self) -> tuple[str, ...]:
        """The tabs always on the bottom bar."""
        routes = self.routes
        if len(routes) <= NAV_SLOTS:
            return routes
        return tuple(r for r in OWNER_PRIMARY if r in routes)[: NAV_SLOTS - 1]

    @property
    def nav_more(self) -> tuple[str, ...]:
        """The rest, listed under "More" (empty when every tab fits)."""
        primary = self.nav_primary
        return tuple(r for r in self.routes if r not in primary)

    @property
    def nav_selected(self) -> str:
        """The tab to light up for the screen showing ("more" for one listed under More)."""
        route = _TAB_OF.get(self.route, self.route)
        return "more" if route in self.nav_more else route

    def navigate(self, route: str) -> None:
        """Show `route` if this user may see it (payment is reachable only with a sale on)."""
        allowed = route in self.routes or (route == "payment" and self.payment is not None)
        # A refund is opened from a sale in Transactions, by the owner only.
        allowed = allowed or (route == "refund" and "transactions" in self.routes)
        if not self.session.signed_in:
            route = "signin"
        elif not allowed:
            return
        if route == "qr" and self.payment is None:
            self.till.set_amount(None)
        self.route = route
        self.changed()

    # ----- session ----------------------------------------------------------------------------
    async def sign_in(self) -> bool:
        """Sign in from the form and open the user's home screen."""
        if not await self.session.sign_in():
            return False
        await self._open_session()
        return True

    async def restore(self, username: str, role: str) -> bool:
        """Resume a stored session at start-up."""
        if not await self.session.restore(username, role):
            return False
        await self._open_session()
        return True

    async def _open_session(self) -> None:
        client = self.client
        await self.till.load(client)
        with contextlib.suppress(Exception):  # the feed still fills live if this fails
            today = await client.payments(status="paid")
            self.feed.load_recent(list(today.items))
        user = self.session.user
        self.navigate("takings" if user is not None and user.is_owner else "charge")

    async def sign_out(self) -> None:
        """Forget the session and every screen's data; back to sign-in."""
        await self.session.sign_out()
        self._forget()

    async def session_ended(self) -> None:
        await self.session.session_ended()
        self._forget()

    def _forget(self) -> None:
        self.payment = None
        self.money = MoneyViewModels()
        self.charge = ChargeViewModel()
        self.feed = self._new_feed()
        self.route = "signin"
        self.changed()

    @property
    def client(self) -> Any:
        if self.session.client is None:
            raise RuntimeError("not signed in")
        return self.session.client

    def open_refund(self, payment: Any) -> None:
        """Show the refund screen for a sale picked in Transactions (owner only)."""
        self.money.refund.select(payment)
        self.navigate("refund")

    # ----- the cashier's flow -----------------------------------------------------------------
    async def charge_customer(self) -> PaymentViewModel | None:
        """Send the charge form as an STK Push and show the payment in progress.

        One tap, one request: a second tap while sending does nothing, and every request for the
        same sale carries the form's Idempotency-Key, so a repeat the backend has already seen
        answers with the first payment instead of prompting the customer again.
        """
        if self.payment is not None and self.payment.state is PaymentState.SENDING:
            return None
        try:
            form = self.charge.form()
        except ValueError as exc:
            self.charge_error = str(exc)
            self.changed()
            return None
        current = self.payment
        if (
            current is not None
            and current.payment_id is not None
            and current.idempotency_key == form.idempotency_key
        ):
            self.navigate("payment")  # a late tap on a sale the backend already answered
            return current
        payment = PaymentViewModel(
            amount=form.amount,
            msisdn=form.msisdn,
            reference=form.reference,
            idempotency_key=form.idempotency_key,
        )
        self.payment = payment
        self.charge_error = ""
        self.till.set_amount(form.amount)
        self.navigate("payment")
        try:
            created = await self.client.request_payment(
                amount=form.amount,
                phone=form.msisdn,
                reference=form.reference or None,
                idempotency_key=form.idempotency_key,
            )
        except Exception as exc:
            payment.failed_to_send(describe(exc))
            if is_auth_expired(exc):
                await self.session_ended()
            return payment
        self.charge.remember(form.msisdn)
        payment.sent(created)
        return payment

    async def refresh_payment(self) -> None:
        """Ask the backend for the sale's status (after a reconnect, or when the countdown ends)."""
        payment = self.payment
        if payment is None or payment.payment_id is None or payment.finished:
            return
        with contextlib.suppress(Exception):  # the stream will tell us anyway
            payment.apply_payment(await self.client.payment(payment.payment_id))

    def open_charge(self) -> None:
        """The Charge tab: back to a sale in progress, to a sale that never got an answer, or new.

        A sale whose request got no answer (offline, timed out) keeps its form and key, so
        charging it again cannot prompt the customer twice if the first request did get through.
        """
        payment = self.payment
        if payment is None:
            self.navigate("charge")
        elif not payment.finished:
            self.navigate("payment")
        elif payment.payment_id is None:
            self.payment = None
            self.till.set_amount(None)
            self.navigate("charge")
        else:
            self.new_sale()

    def new_sale(self) -> None:
        """Back to an empty charge form (the customer list stays)."""
        self.payment = None
        self.charge.reset()
        self.till.set_amount(None)
        self.navigate("charge")

    async def try_again(self) -> PaymentViewModel | None:
        """Charge the same amount to the same customer again after a failed attempt.

        After a known failure (the customer cancelled, M-PESA refused) it is a new request with a
        new Idempotency-Key: the customer is prompted afresh, which is the point. After a request
        that got no answer it is the same sale with the same key: if the first one did reach the
        backend, its payment comes back and the customer is not prompted twice.
        """
        failed = self.payment
        if failed is None or failed.state is not PaymentState.FAILED:
            return None
        self.charge.set_amount_text(str(failed.amount))
        self.charge.set_phone(failed.msisdn)
        self.charge.set_reference(failed.reference)
        if failed.payment_id is not None:
            self.charge.new_intent()
        return await self.charge_customer()

    def show_qr_for_sale(self, showing: bool = True) -> None:
        """Switch the sale in progress to the till QR for the same amount, or back."""
        if self.payment is None:
            return
        self.payment.show_qr(showing)
        self.till.set_amount(self.payment.amount if showing else None)
        self.changed()

    def _route_payment(self, payment: Any) -> None:
        if self.payment is not None:
            self.payment.apply_payment(payment)
