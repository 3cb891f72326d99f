"""Duka's typed async client for Safaricom's Daraja (M-PESA) API.

Catches the usual integration mistakes before a request leaves the machine (phone formats, field
lengths, till vs paybill, Nairobi-time Password), shares one OAuth token across concurrent callers,
and never resends a payment that may already have reached Daraja. Errors: see `errors.py`.
"""

from __future__ import annotations

from backend.daraja._clock import NAIROBI, Clock, SystemClock, daraja_timestamp, stk_password
from backend.daraja.balance import AccountBalance, BalanceAccount
from backend.daraja.c2b import C2BNotification, C2BRegisterAck
from backend.daraja.callbacks import parse_c2b_notification, parse_result, parse_stk_callback
from backend.daraja.client import DarajaClient
from backend.daraja.credentials import DarajaCredentials, Environment
from backend.daraja.errors import (
    AuthError,
    CallbackParseError,
    ConnectFailed,
    DarajaError,
    DarajaUnavailable,
    DuplicateRequest,
    InvalidPhoneNumber,
    InvalidRequest,
    OutcomeUnknown,
    RateLimited,
    RejectedByMpesa,
)
from backend.daraja.initiator import InitiatorAck, InitiatorResult
from backend.daraja.phone import normalise_msisdn
from backend.daraja.qr import DynamicQr
from backend.daraja.security import security_credential
from backend.daraja.stk import StkCallback, StkPushAck, StkQueryResult

__all__ = [
    "NAIROBI",
    "AccountBalance",
    "AuthError",
    "BalanceAccount",
    "C2BNotification",
    "C2BRegisterAck",
    "CallbackParseError",
    "Clock",
    "ConnectFailed",
    "DarajaClient",
    "DarajaCredentials",
    "DarajaError",
    "DarajaUnavailable",
    "DuplicateRequest",
    "DynamicQr",
    "Environment",
    "InitiatorAck",
    "InitiatorResult",
    "InvalidPhoneNumber",
    "InvalidRequest",
    "OutcomeUnknown",
    "RateLimited",
    "RejectedByMpesa",
    "StkCallback",
    "StkPushAck",
    "StkQueryResult",
    "SystemClock",
    "daraja_timestamp",
    "normalise_msisdn",
    "parse_c2b_notification",
    "parse_result",
    "parse_stk_callback",
    "security_credential",
    "stk_password",
]
