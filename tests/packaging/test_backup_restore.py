"""A backup taken with deploy/backup.sh restores with deploy/restore.sh, every payment intact.

These run the scripts exactly as docs/go-live.md tells an operator to, against the local
PostgreSQL server, with `pg_dump`, `pg_restore` and `psql` from the machine's client tools.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, PgDatabase, psql
from tests.packaging.dbtools import (
    head_revision,
    insert_one_payment,
    rows_of,
    seed_payments,
    upgrade,
)

pytestmark = pytest.mark.postgres

BACKUP = ROOT / "deploy" / "backup.sh"
RESTORE = ROOT / "deploy" / "restore.sh"
TABLES = ("users", "payments", "alembic_version")
SHELL = shutil.which("sh") or "/bin/sh"


def run_script(
    script: Path, *args: str, database_url: str, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DUKA_DATABASE_URL": database_url, **env}
    return subprocess.run(  # noqa: S603 - our own script, fixed argv, no shell
        [SHELL, str(script), *args],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def shop(make_pg_database) -> PgDatabase:
    """A migrated database holding a day of payments, as a live shop's would."""
    database: PgDatabase = make_pg_database()
    upgrade(database.async_url)
    seed_payments(database.async_url, 60)
    return database


def take_backup(shop: PgDatabase, out: Path, **env: str) -> Path:
    # The backend's own URL (with +asyncpg) is what sits in duka.env; the script must take it.
    done = run_script(BACKUP, str(out), database_url=shop.async_url, **env)
    assert done.returncode == 0, done.stderr
    dump = Path(done.stdout.strip().splitlines()[-1])
    assert dump.is_file() and dump.parent == out
    return dump


def test_backup_restores_into_a_fresh_database_with_every_payment(
    shop: PgDatabase, make_pg_database, tmp_path: Path
) -> None:
    dump = take_backup(shop, tmp_path / "backups")
    assert (dump.parent / f"{dump.name}.sha256").is_file()
    fresh: PgDatabase = make_pg_database()

    done = run_script(RESTORE, str(dump), database_url=fresh.url)

    assert done.returncode == 0, done.stderr
    assert f"60 payments, migration revision {head_revision()}" in done.stdout
    for table in TABLES:
        assert rows_of(fresh.async_url, table) == rows_of(shop.async_url, table), table
    # Sequences came along: the restored shop numbers its next payment after the last one.
    highest = max(row["id"] for row in rows_of(fresh.async_url, "payments"))
    assert insert_one_payment(fresh.async_url) > highest


def test_restore_refuses_a_database_that_already_has_payments(
    shop: PgDatabase, tmp_path: Path
) -> None:
    dump = take_backup(shop, tmp_path)

    done = run_script(RESTORE, str(dump), database_url=shop.url)

    assert done.returncode == 3
    assert "--force" in done.stderr
    assert len(rows_of(shop.async_url, "payments")) == 60


def test_forced_restore_replaces_newer_rows_with_the_backup(
    shop: PgDatabase, tmp_path: Path
) -> None:
    dump = take_backup(shop, tmp_path)
    before = rows_of(shop.async_url, "payments")
    insert_one_payment(shop.async_url)

    done = run_script(RESTORE, "--force", str(dump), database_url=shop.url)

    assert done.returncode == 0, done.stderr
    assert rows_of(shop.async_url, "payments") == before


def test_restore_refuses_a_damaged_backup(
    shop: PgDatabase, make_pg_database, tmp_path: Path
) -> None:
    dump = take_backup(shop, tmp_path)
    with dump.open("r+b") as file:
        file.seek(dump.stat().st_size // 2)
        file.write(b"\x00damaged\x00")
    fresh: PgDatabase = make_pg_database()

    done = run_script(RESTORE, str(dump), database_url=fresh.url)

    assert done.returncode == 2
    assert "sha256" in done.stderr
    assert (
        psql(
            fresh.url,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
        )
        == "0"
    )


def test_backup_keeps_only_the_newest_dumps(shop: PgDatabase, tmp_path: Path) -> None:
    for stamp in ("20261201T233000Z", "20261202T233000Z", "20261203T233000Z"):
        (tmp_path / f"duka-{stamp}.dump").write_bytes(b"old")
        (tmp_path / f"duka-{stamp}.dump.sha256").write_text("old")
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("keep me")

    newest = take_backup(shop, tmp_path, DUKA_BACKUP_KEEP="2")

    dumps = sorted(path.name for path in tmp_path.glob("duka-*.dump"))
    assert dumps == ["duka-20261203T233000Z.dump", newest.name]
    assert not (tmp_path / "duka-20261201T233000Z.dump.sha256").exists()
    assert unrelated.exists()


def test_backup_fails_loudly_when_the_database_is_unreachable(tmp_path: Path) -> None:
    done = run_script(BACKUP, str(tmp_path), database_url="postgresql://postgres@127.0.0.1:1/duka")

    assert done.returncode != 0
    assert not list(tmp_path.glob("duka-*")), "a failed backup must leave no file behind"
