"""`python -m backend` commands, and `doctor`'s plain-words findings against the simulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from backend import upgrade_database
from backend.services.doctor import FAIL, WARN, run_doctor
from tests.support.backend_fixtures import fast_settings, settings_env
from tests.support.servers import ServerThread


def cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our interpreter and module
        [sys.executable, "-m", "backend", *args],
        input=stdin,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_migrate_and_create_users(tmp_path: Path) -> None:
    env = {"DUKA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'var' / 'duka.db'}"}
    env |= {"DUKA_ARGON2_TIME_COST": "1", "DUKA_ARGON2_MEMORY_KIB": "8192"}
    assert cli(env, "migrate").returncode == 0
    assert cli(env, "migrate").returncode == 0  # idempotent
    made = cli(env, "create-owner", "--username", "Mama", "--password-stdin", stdin="longenough\n")
    assert made.returncode == 0 and "Created owner 'mama'" in made.stdout
    short = cli(env, "create-owner", "--username", "baba", "--password-stdin", stdin="short\n")
    assert short.returncode != 0 and "at least 8 characters" in short.stderr
    taken = cli(env, "create-owner", "--username", "mama", "--password-stdin", stdin="x" * 9)
    assert taken.returncode != 0 and "already taken" in taken.stderr
    cashier = cli(env, "create-cashier", "--username", "amina", "--pin-stdin", stdin="4821\n")
    assert cashier.returncode == 0
    assert "Traceback" not in short.stderr + taken.stderr


def _texts(findings: list) -> str:  # type: ignore[type-arg]
    return "\n".join(f.line() for f in findings)


async def test_doctor_in_plain_words(tmp_path: Path, sim_server: ServerThread) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'duka.db'}"
    unmigrated = await run_doctor(fast_settings(db, sim_server.url, "https://duka.example.com"))
    assert any(f.severity == FAIL and "`migrate`" in f.text for f in unmigrated)
    upgrade_database(db)
    good = fast_settings(db, sim_server.url, "https://duka.example.com", callback_secret=None)
    findings = await run_doctor(good)
    assert max(f.severity for f in findings) < FAIL, _texts(findings)
    assert "accepted the consumer key" in _texts(findings)
    assert "Clock agrees" in _texts(findings)

    local = await run_doctor(fast_settings(db, sim_server.url, "http://127.0.0.1:8000"))
    assert any(f.severity == WARN and "not https" in f.text for f in local)
    assert any("cannot reach" in f.text for f in local)

    worded = await run_doctor(fast_settings(db, sim_server.url, "https://mpesa-shop.example.com"))
    assert any(f.severity == FAIL and "'mpesa'" in f.text for f in worded)

    rejected = await run_doctor(
        fast_settings(db, sim_server.url, "https://duka.example.com", daraja_consumer_secret="no")
    )
    assert any(f.severity == FAIL and "rejected the consumer key" in f.text for f in rejected)

    confused = await run_doctor(
        fast_settings(
            db, sim_server.url, "https://duka.example.com", shortcode="300301", till_number="300301"
        )
    )
    assert any("store (head office) number" in f.text for f in confused)

    wrong_key = await run_doctor(
        fast_settings(db, sim_server.url, "https://duka.example.com", daraja_passkey="0" * 64)
    )
    assert any(f.severity == FAIL and "passkey" in f.text for f in wrong_key), _texts(wrong_key)


def test_doctor_command_exit_code(tmp_path: Path, sim_server: ServerThread) -> None:
    settings = fast_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'duka.db'}", sim_server.url, "https://x.example.com/sql"
    )
    done = cli(settings_env(settings), "doctor")
    assert done.returncode == 1
    assert "FAIL" in done.stdout and "'sql'" in done.stdout
    assert settings.daraja_passkey.get_secret_value() not in done.stdout + done.stderr
