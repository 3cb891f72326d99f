"""Fixtures for packaging and deployment tests: the repository's files and throwaway databases.

PostgreSQL tests create a fresh database per test on the local server (`DUKA_TEST_POSTGRES_URL`,
default `postgresql://postgres@127.0.0.1:5432/test`) and drop it afterwards, so they never see
another test's tables.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("DUKA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="session")
def flet_config(pyproject: dict[str, Any]) -> dict[str, Any]:
    return pyproject["tool"]["flet"]


@dataclass(frozen=True)
class PgDatabase:
    """A database made for one test: `url` for libpq tools, `async_url` for the backend."""

    name: str
    url: str

    @property
    def async_url(self) -> str:
        return self.url.replace("postgresql://", "postgresql+asyncpg://", 1)


def psql(url: str, sql: str) -> str:
    """Run one statement with psql and return its unaligned output."""
    done = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            shutil.which("psql") or "psql",
            "--no-psqlrc",
            "-v",
            "ON_ERROR_STOP=1",
            "-tA",
            "--dbname",
            url,
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        raise AssertionError(f"psql failed ({sql!r}): {done.stderr.strip()}")
    return done.stdout.strip()


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def make_pg_database() -> Iterator[Any]:
    """Return a factory of fresh, empty PostgreSQL databases, all dropped at teardown."""
    for tool in ("psql", "pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install postgresql-client)")
    made: list[str] = []

    def make() -> PgDatabase:
        name = f"duka_pkg_test_{uuid.uuid4().hex[:10]}"
        psql(ADMIN_URL, f'CREATE DATABASE "{name}"')
        made.append(name)
        return PgDatabase(name, _with_database(ADMIN_URL, name))

    yield make
    for name in made:
        psql(ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
