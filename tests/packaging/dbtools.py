"""Drive the backend's Alembic migrations and look at the tables they make, on any database URL.

Migrations run through Alembic's own API with the backend's `alembic.ini` and `env.py` (what
`python -m backend migrate` wraps), so these tests exercise the real migration scripts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

from tests.packaging.conftest import ROOT

ALEMBIC_INI = ROOT / "backend" / "migrations" / "alembic.ini"


def alembic_config(async_url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", async_url)
    return config


def upgrade(async_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(async_url), revision)


def downgrade(async_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(async_url), revision)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://")).get_current_head()
    assert head is not None, "backend/migrations has no revisions"
    return head


async def _inspect(async_url: str, fn: Any) -> Any:
    engine = create_async_engine(async_url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(lambda sync_conn: fn(sa.inspect(sync_conn), sync_conn))
    finally:
        await engine.dispose()


def table_names(async_url: str) -> set[str]:
    return set(
        asyncio.run(_inspect(async_url, lambda inspector, _conn: inspector.get_table_names()))
    )


def current_revision(async_url: str) -> str | None:
    def read(_inspector: Any, conn: sa.Connection) -> str | None:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    return asyncio.run(_inspect(async_url, read))


# Realistic values for the columns whose meaning we know; everything else is filled by type, so
# a column added by a later migration does not break these tests.
_KNOWN: dict[str, Any] = {
    "channel": lambda i: "stk" if i % 3 else "till",
    "status": lambda i: ("paid", "failed", "pending", "unknown")[i % 4],
    "amount": lambda i: 10 + 37 * i,
    "phone": lambda i: f"2547{i:08d}",
    "receipt": lambda i: f"TLK{i:07d}",
    "role": lambda i: "owner" if i == 0 else "cashier",
    "username": lambda i: f"cashier{i}",
}


_BY_TYPE: tuple[tuple[type[Any], Any], ...] = (
    (sa.Boolean, lambda i: i % 2 == 1),
    (sa.Integer, lambda i: i + 1),
    (sa.Numeric, Decimal),
    (
        sa.DateTime,
        lambda i: dt.datetime(2026, 12, 4, 6, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=7 * i),
    ),
    (sa.Date, lambda i: dt.date(2026, 12, 4) + dt.timedelta(days=i % 3)),
    (sa.JSON, lambda i: {"row": i, "note": "Malipo yamepokelewa"}),
    (sa.String, lambda i: f"text-{i}"),
    (sa.Text, lambda i: f"text-{i}"),
)


def sample_value(column: sa.Column[Any], i: int, foreign: dict[str, Any]) -> Any:
    """A plausible, unique-per-row value for `column` in row `i`."""
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column.table.name
        return foreign.get(target)
    if column.name in _KNOWN:
        return _KNOWN[column.name](i)
    for kind, make in _BY_TYPE:
        if isinstance(column.type, kind):
            value = make(i)
            length = getattr(column.type, "length", None)
            return value[-length:] if isinstance(value, str) and length else value
    raise AssertionError(f"no sample value for {column.table.name}.{column.name} ({column.type!r})")


def _rows(table: sa.Table, count: int, foreign: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for i in range(count):
        row = {}
        for column in table.columns:
            numbered = column.autoincrement in (True, "auto") and isinstance(
                column.type, sa.Integer
            )
            if column.primary_key and numbered:
                continue  # let the sequence number it: restoring must carry the sequence too
            row[column.name] = sample_value(column, i, foreign)
        rows.append(row)
    return rows


async def _seed(async_url: str, payments: int) -> None:
    engine = create_async_engine(async_url)
    try:
        async with engine.begin() as conn:
            meta = sa.MetaData()
            await conn.run_sync(lambda c: meta.reflect(c, only=["users", "payments"]))
            users, pays = meta.tables["users"], meta.tables["payments"]
            await conn.execute(users.insert(), _rows(users, 2, {}))
            owner = (await conn.execute(sa.select(sa.func.min(users.c.id)))).scalar()
            await conn.execute(pays.insert(), _rows(pays, payments, {"users": owner}))
    finally:
        await engine.dispose()


def seed_payments(async_url: str, payments: int) -> None:
    """Insert two users and `payments` payments into a migrated database."""
    asyncio.run(_seed(async_url, payments))


async def _dump(async_url: str, table: str) -> list[dict[str, Any]]:
    engine = create_async_engine(async_url)
    try:
        async with engine.connect() as conn:
            meta = sa.MetaData()
            await conn.run_sync(lambda c: meta.reflect(c, only=[table]))
            ordered = meta.tables[table]
            result = await conn.execute(sa.select(ordered).order_by(*ordered.primary_key.columns))
            return [dict(row) for row in result.mappings()]
    finally:
        await engine.dispose()


def rows_of(async_url: str, table: str) -> list[dict[str, Any]]:
    """Every row of `table`, in primary-key order, as plain dicts."""
    return asyncio.run(_dump(async_url, table))


async def _insert_one_payment(async_url: str) -> int:
    engine = create_async_engine(async_url)
    try:
        async with engine.begin() as conn:
            meta = sa.MetaData()
            await conn.run_sync(lambda c: meta.reflect(c, only=["payments"]))
            pays = meta.tables["payments"]
            row = _rows(pays, 1000, {"users": None})[-1]
            result = await conn.execute(pays.insert().returning(pays.c.id), row)
            return int(result.scalar_one())
    finally:
        await engine.dispose()


def insert_one_payment(async_url: str) -> int:
    """Insert a new payment letting the database number it; return its id."""
    return asyncio.run(_insert_one_payment(async_url))
