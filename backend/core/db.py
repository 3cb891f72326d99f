"""The database: one async engine per app, SQLite (WAL) by default or PostgreSQL.

SQLite allows one writer at a time and its busy handler sleeps in coarse steps, so writers in this
process queue on an asyncio lock instead (much faster than contending). PostgreSQL needs no lock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def make_engine(database_url: str, schema: str | None = None) -> AsyncEngine:
    """Create the engine; for SQLite, create its folder and switch on WAL and a busy timeout.

    `schema` (PostgreSQL only) sets the search path, so tests and instances can share a server.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        connect_args = {"server_settings": {"search_path": schema}} if schema else {}
        return create_async_engine(
            url, pool_size=10, max_overflow=20, pool_pre_ping=True, connect_args=connect_args
        )
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


class Database:
    """The engine, a session factory, and the write discipline for the dialect in use."""

    def __init__(self, database_url: str, schema: str | None = None) -> None:
        self.url = database_url
        self.engine = make_engine(database_url, schema)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for queries; nothing it does is committed."""
        async with self.sessions() as session:
            yield session

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits on a clean exit and rolls back on an exception."""
        lock = self._write_lock or contextlib.nullcontext()
        async with lock, self.sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
