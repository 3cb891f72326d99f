"""Alembic migrations; `upgrade_database` runs them without an `alembic` command line."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).parent


def alembic_config(database_url: str, schema: str | None = None) -> Config:
    """Build the Alembic configuration for a database URL (the ini file lives in this package)."""
    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes["schema"] = schema
    return cfg


def upgrade_database(database_url: str, schema: str | None = None) -> None:
    """Bring the database up to the newest migration. Is idempotent.

    Alembic's async env calls `asyncio.run`, which cannot nest inside a running loop, so when one
    is running (inside the server) the upgrade runs in a helper thread.
    """
    cfg = alembic_config(database_url, schema)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        command.upgrade(cfg, "head")
        return
    errors: list[BaseException] = []

    def run() -> None:
        try:
            command.upgrade(cfg, "head")
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
