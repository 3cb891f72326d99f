"""Command line: `python -m backend serve|migrate|create-owner|create-cashier|doctor|…`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import getpass
import sys

from backend.core.clock import SystemClock
from backend.core.config import Settings
from backend.core.db import Database
from backend.core.security import SecretHasher
from backend.errors import BackendError
from backend.migrations import upgrade_database
from backend.services.accounts import CASHIER, OWNER, Accounts


def _accounts(settings: Settings, db: Database) -> Accounts:
    return Accounts(
        db,
        SecretHasher(settings.argon2_time_cost, settings.argon2_memory_kib),
        SystemClock(),
        token_ttl=dt.timedelta(hours=settings.token_ttl_hours),
        max_failures=settings.login_max_failures,
        lockout=dt.timedelta(seconds=settings.login_lockout_seconds),
    )


async def create_user(settings: Settings, username: str, role: str, secret: str) -> None:
    db = Database(settings.database_url, settings.database_schema)
    try:
        user = await _accounts(settings, db).create_user(
            username=username, role=role, secret=secret
        )
        print(f"Created {role} '{user.username}'.")
    finally:
        await db.dispose()


def _read_secret(args: argparse.Namespace, label: str) -> str:
    if args.stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(f"{label}: ")
    if getpass.getpass(f"{label} again: ") != first:
        raise SystemExit("The two entries differ; nothing was created.")
    return first


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn  # noqa: PLC0415 - only `serve` needs the server

    from backend.app import create_app  # noqa: PLC0415

    upgrade_database(settings.database_url, settings.database_schema)
    # uvicorn's own X-Forwarded-For handling is off: the backend believes only DUKA_TRUSTED_PROXIES.
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        proxy_headers=False,
    )


def cmd_migrate(_: argparse.Namespace, settings: Settings) -> None:
    upgrade_database(settings.database_url, settings.database_schema)
    print("Database is up to date.")


def cmd_create_owner(args: argparse.Namespace, settings: Settings) -> None:
    upgrade_database(settings.database_url, settings.database_schema)
    secret = _read_secret(args, "Password")
    asyncio.run(create_user(settings, args.username, OWNER, secret))


def cmd_create_cashier(args: argparse.Namespace, settings: Settings) -> None:
    upgrade_database(settings.database_url, settings.database_schema)
    secret = _read_secret(args, "PIN")
    asyncio.run(create_user(settings, args.username, CASHIER, secret))


def cmd_doctor(_: argparse.Namespace, settings: Settings) -> None:
    from backend.services.doctor import run_doctor  # noqa: PLC0415

    findings = asyncio.run(run_doctor(settings))
    worst = 0
    for finding in findings:
        print(finding.line())
        worst = max(worst, finding.severity)
    raise SystemExit(1 if worst >= 2 else 0)


def cmd_register_c2b(_: argparse.Namespace, settings: Settings) -> None:
    from backend.services.doctor import register_c2b  # noqa: PLC0415

    print(asyncio.run(register_c2b(settings)))


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP service (migrates first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=cmd_serve)
    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        run=cmd_migrate
    )
    for name, label, run in (
        ("create-owner", "password", cmd_create_owner),
        ("create-cashier", "PIN", cmd_create_cashier),
    ):
        cmd = sub.add_parser(name, help=f"add a user who signs in with a {label}")
        cmd.add_argument("--username", required=True)
        flag = "--password-stdin" if label == "password" else "--pin-stdin"
        cmd.add_argument(
            flag, dest="stdin", action="store_true", help=f"read the {label} from stdin"
        )
        cmd.set_defaults(run=run)
    sub.add_parser("doctor", help="check the configuration, in plain words").set_defaults(
        run=cmd_doctor
    )
    sub.add_parser("register-c2b", help="tell M-PESA our till callback URLs").set_defaults(
        run=cmd_register_c2b
    )
    return top


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        args.run(args, Settings())
    except BackendError as exc:
        raise SystemExit(f"Error: {exc.message}") from None


if __name__ == "__main__":
    main()
