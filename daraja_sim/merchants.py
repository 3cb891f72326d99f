"""Organisations the simulator knows out of the box, and their C2B URL registrations.

- Paybill 174379 with the published sandbox passkey: STK only, cannot register C2B URLs (§10.4).
- Till: store (HO) 300300 with till 300301, same passkey, for CustomerBuyGoodsOnline.
- Any `600xxx` shortcode: C2B, B2C, B2B, balance, status and reversal, as on the sandbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from daraja_sim.config import SANDBOX_PASSKEY, SimConfig

PAYBILL = "174379"
TILL_STORE = "300300"
TILL_NUMBER = "300301"
_SANDBOX_ORG = re.compile(r"600\d{3}")


@dataclass(frozen=True, slots=True)
class StkMerchant:
    """A shortcode that may send STK pushes: its passkey and which PartyB/TransactionType fit."""

    shortcode: str
    passkey: str
    transaction_type: str
    party_b: frozenset[str]
    name: str


@dataclass(frozen=True, slots=True)
class Registration:
    """One shortcode's registered C2B URLs (`version` decides how MSISDNs are hidden)."""

    version: int
    response_type: str
    confirmation_url: str
    validation_url: str


class Merchants:
    """Look up STK merchants, organisation shortcodes and C2B registrations."""

    def __init__(self, config: SimConfig) -> None:
        self._config = config
        self.stk: dict[str, StkMerchant] = {
            PAYBILL: StkMerchant(
                PAYBILL,
                SANDBOX_PASSKEY,
                "CustomerPayBillOnline",
                frozenset({PAYBILL}),
                config.public_name,
            ),
            TILL_STORE: StkMerchant(
                TILL_STORE,
                SANDBOX_PASSKEY,
                "CustomerBuyGoodsOnline",
                frozenset({TILL_NUMBER}),
                config.till_public_name,
            ),
        }
        self.registrations: dict[str, Registration] = {}

    def is_org(self, shortcode: str) -> bool:
        """Return whether `shortcode` is an organisation the simulator holds accounts for."""
        return shortcode in (PAYBILL, TILL_STORE, TILL_NUMBER) or bool(
            _SANDBOX_ORG.fullmatch(shortcode)
        )

    def can_register_c2b(self, shortcode: str) -> bool:
        """Return whether C2B URLs may be registered (174379 is STK-only, as on the sandbox)."""
        return shortcode != PAYBILL and self.is_org(shortcode)

    def name_of(self, shortcode: str) -> str:
        """Return the public name customers see for `shortcode`."""
        if shortcode == PAYBILL:
            return self._config.public_name
        if shortcode in (TILL_STORE, TILL_NUMBER):
            return self._config.till_public_name
        return f"SANDBOX ORG {shortcode}"
