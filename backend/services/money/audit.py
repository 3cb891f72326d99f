"""The audit log: one row per owner action and per outcome M-PESA reports, never a secret."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.clock import Clock
from backend.core.db import Database
from backend.models import User
from backend.money_models import AuditEntry

MPESA = "M-PESA"  # the "who" of outcomes that arrive from Daraja


def audit(
    session: AsyncSession,
    clock: Clock,
    *,
    user: User | None,
    action: str,
    subject: str,
    outcome: str,
    detail: str = "",
) -> None:
    """Append an entry in the caller's transaction, so it exists if and only if the change does."""
    session.add(
        AuditEntry(
            at=clock.now(),
            user_id=user.id if user else None,
            username=user.username if user else MPESA,
            action=action[:32],
            subject=subject[:64],
            detail=detail[:2000],
            outcome=outcome[:32],
        )
    )


async def recent(db: Database, *, limit: int, action: str | None = None) -> list[AuditEntry]:
    """The newest entries first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    async with db.read() as session:
        return list(await session.scalars(query))
