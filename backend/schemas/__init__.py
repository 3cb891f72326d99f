"""Request and response bodies: named pydantic models, so OpenAPI clients can share them."""

from backend.schemas.accounts import (
    CashierCreate,
    CashierPublic,
    CashierUpdate,
    SessionCreate,
    SessionPublic,
)
from backend.schemas.common import ErrorBody, FieldError, Health, Readiness
from backend.schemas.flags import FlagList, FlagPublic, FlagResolve
from backend.schemas.payments import (
    PaymentCreate,
    PaymentList,
    PaymentPublic,
)
from backend.schemas.takings import TakingsBreakdown, TakingsDay, TakingsHour
from backend.schemas.till import TillPublic

__all__ = [
    "CashierCreate",
    "CashierPublic",
    "CashierUpdate",
    "ErrorBody",
    "FieldError",
    "FlagList",
    "FlagPublic",
    "FlagResolve",
    "Health",
    "PaymentCreate",
    "PaymentList",
    "PaymentPublic",
    "Readiness",
    "SessionCreate",
    "SessionPublic",
    "TakingsBreakdown",
    "TakingsDay",
    "TakingsHour",
    "TillPublic",
]
