"""The one place money-tool rows become what clients see (phones always masked)."""

from __future__ import annotations

from backend.money_models import AuditEntry, Payout, Refund
from backend.schemas.money import AuditEntryPublic, PayoutPublic, RefundPublic
from backend.services.phones import mask_phone


def masked_party(public_name: str) -> str:
    """ "254711222333 - MERCY MUTUA" → "2547••••333 - MERCY MUTUA": phones stay masked (§7.3)."""
    number, separator, name = public_name.partition(" - ")
    if separator and number.strip().isdigit() and len(number.strip()) == 12:
        return f"{mask_phone(number.strip())} - {name.strip()}"
    return public_name


def refund_public(refund: Refund) -> RefundPublic:
    return RefundPublic(
        id=refund.id,
        payment_id=refund.payment_id,
        amount=refund.amount,
        method=refund.method,  # type: ignore[arg-type]
        status=refund.status,  # type: ignore[arg-type]
        receipt=refund.receipt,
        result_code=refund.result_code,
        reason=refund.reason,
        requested_by=refund.requested_by,
        created_at=refund.created_at,
        updated_at=refund.updated_at,
        completed_at=refund.completed_at,
    )


def payout_public(payout: Payout) -> PayoutPublic:
    return PayoutPublic(
        id=payout.id,
        kind=payout.kind,  # type: ignore[arg-type]
        command=payout.command,
        amount=payout.amount,
        to=payout.phone_masked if payout.kind == "b2c" else (payout.receiver or ""),
        account_reference=payout.account_reference,
        remarks=payout.remarks,
        status=payout.status,  # type: ignore[arg-type]
        receipt=payout.receipt,
        recipient_name=payout.recipient_name,
        result_code=payout.result_code,
        reason=payout.reason,
        requested_by=payout.requested_by,
        confirmed_by=payout.confirmed_by,
        created_at=payout.created_at,
        confirmed_at=payout.confirmed_at,
        completed_at=payout.completed_at,
    )


def audit_public(entry: AuditEntry) -> AuditEntryPublic:
    return AuditEntryPublic(
        id=entry.id,
        at=entry.at,
        user_id=entry.user_id,
        username=entry.username,
        action=entry.action,
        subject=entry.subject,
        detail=entry.detail,
        outcome=entry.outcome,
    )
