"""Migrations apply cleanly to an empty SQLite and PostgreSQL database and downgrade back."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.models import Base
from tests.packaging.conftest import PgDatabase
from tests.packaging.dbtools import (
    current_revision,
    downgrade,
    head_revision,
    seed_payments,
    table_names,
    upgrade,
)


def _round_trip(async_url: str) -> None:
    assert table_names(async_url) == set(), "the test database should start empty"

    upgrade(async_url)
    tables = table_names(async_url)
    missing = {table.name for table in Base.metadata.sorted_tables} - tables
    assert not missing, f"models have tables no migration creates: {sorted(missing)}"
    assert current_revision(async_url) == head_revision()
    # Data in the tables must not stop a downgrade (a rollback happens on a live shop).
    seed_payments(async_url, 5)

    downgrade(async_url)
    assert table_names(async_url) <= {"alembic_version"}, "downgrade left tables behind"
    assert current_revision(async_url) is None

    # ...and the way back up works again from base.
    upgrade(async_url)
    assert table_names(async_url) >= tables
    assert current_revision(async_url) == head_revision()


def test_migrations_round_trip_on_empty_sqlite(tmp_path: Path) -> None:
    _round_trip(f"sqlite+aiosqlite:///{tmp_path / 'duka.db'}")


@pytest.mark.postgres
def test_migrations_round_trip_on_empty_postgresql(make_pg_database) -> None:
    database: PgDatabase = make_pg_database()
    _round_trip(database.async_url)
