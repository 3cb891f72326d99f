"""A faithful local stand-in for Safaricom Daraja: the demo default, the tests' only one.

from daraja_sim import SimConfig, create_app
app = create_app(SimConfig(seed=1))   # an ASGI app; state lives at app.state.sim
"""

from __future__ import annotations

from daraja_sim.app import SimApp, create_app
from daraja_sim.config import SANDBOX_PASSKEY, SimConfig
from daraja_sim.customers import SCRIPTED
from daraja_sim.merchants import PAYBILL, TILL_NUMBER, TILL_STORE
from daraja_sim.security import INITIATOR, encrypt_credential
from daraja_sim.testing import SimControlError, SimController

__all__ = [
    "INITIATOR",
    "PAYBILL",
    "SANDBOX_PASSKEY",
    "SCRIPTED",
    "TILL_NUMBER",
    "TILL_STORE",
    "SimApp",
    "SimConfig",
    "SimControlError",
    "SimController",
    "create_app",
    "encrypt_credential",
]
