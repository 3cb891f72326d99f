"""The one place a `Payment` row becomes what clients see."""

from __future__ import annotations

from typing import Any

from backend.models import Payment
from backend.schemas.payments import PaymentPublic


def payment_public(payment: Payment) -> PaymentPublic:
    return PaymentPublic(
        id=payment.id,
        channel=payment.channel,  # type: ignore[arg-type]
        status=payment.status,  # type: ignore[arg-type]
        amount=payment.amount,
        phone=payment.phone_masked,
        reference=payment.reference,
        payer_name=payment.payer_name,
        receipt=payment.receipt if payment.status == "paid" else None,
        result_code=payment.result_code,
        reason=payment.reason,
        cashier_id=payment.requested_by,
        flagged=payment.flagged,
        flag_reason=payment.flag_reason,
        created_at=payment.created_at,
        updated_at=payment.updated_at,
        paid_at=payment.paid_at,
        refunded=payment.refunded or 0,
    )


def payment_event_data(payment: Payment, via: str) -> dict[str, Any]:
    """An event's body: the payment as clients see it (masked phone) and how we learned it."""
    return {"via": via, "payment": payment_public(payment).model_dump(mode="json")}
