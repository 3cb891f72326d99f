"""`python -m backend doctor`: check the configuration and say in plain words what is wrong.

The usual reasons a Daraja integration silently fails (REFERENCE.md §6.1, §11): callback URL not
https or not reachable from the internet, a forbidden word in it, credentials for the other
environment, a passkey that does not belong to the shortcode, a till number where the store
number belongs, and a clock far enough off that Timestamps look wrong.
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from alembic.script import ScriptDirectory
from sqlalchemy import text

from backend.core.clock import SystemClock
from backend.core.config import Settings
from backend.core.db import Database
from backend.daraja import AuthError, DarajaError, RejectedByMpesa
from backend.migrations import alembic_config
from backend.runtime import daraja_client, ensure_callback_secret

FORBIDDEN = re.compile(r"m-?pesa|safaricom|exec?|cmd|sql|query", re.IGNORECASE)
OK, WARN, FAIL = 0, 1, 2
MAX_SKEW_SECONDS = 60


@dataclass(frozen=True)
class Finding:
    severity: int
    text: str

    def line(self) -> str:
        return f"{('OK  ', 'WARN', 'FAIL')[self.severity]}  {self.text}"


def check_public_url(settings: Settings, secret: str) -> list[Finding]:
    """Is the URL Daraja calls back on usable: https, public, free of forbidden words?"""
    found: list[Finding] = []
    url = f"{settings.public_url}/callbacks/{secret}/stk"
    parts = urlsplit(settings.public_url)
    production = settings.daraja_env == "production"
    if parts.scheme != "https":
        found.append(
            Finding(
                FAIL if production else WARN,
                "DUKA_PUBLIC_URL is not https: Daraja production only calls https URLs.",
            )
        )
    host = parts.hostname or ""
    if _private_host(host):
        found.append(
            Finding(
                FAIL if production else WARN,
                f"DUKA_PUBLIC_URL points at '{host}', which Safaricom cannot reach from the "
                "internet. Use the shop's public domain.",
            )
        )
    word = FORBIDDEN.search(url)
    if word:
        found.append(
            Finding(
                FAIL,
                f"The callback URL contains '{word.group(0)}'; Daraja refuses URLs with words "
                "like mpesa, safaricom, query, sql, exe or cmd. Change DUKA_PUBLIC_URL.",
            )
        )
    if not found:
        found.append(Finding(OK, "Callback URL is https, public and has no forbidden words."))
    return found


def _private_host(host: str) -> bool:
    if host in ("localhost", "") or host.endswith((".local", ".internal", ".lan")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


def check_numbers(settings: Settings) -> list[Finding]:
    found: list[Finding] = []
    shortcode, till = settings.shortcode.strip(), settings.till_number.strip()
    if not shortcode:
        found.append(Finding(FAIL, "DUKA_SHORTCODE is empty: set the paybill or store number."))
    if not settings.daraja_passkey.get_secret_value():
        found.append(Finding(FAIL, "DUKA_DARAJA_PASSKEY is empty: copy it from the go-live email."))
    if not (
        settings.daraja_consumer_key.get_secret_value()
        and settings.daraja_consumer_secret.get_secret_value()
    ):
        found.append(Finding(FAIL, "Consumer key or secret is empty (DUKA_DARAJA_CONSUMER_*)."))
    if till and till == shortcode:
        found.append(
            Finding(
                FAIL,
                "DUKA_TILL_NUMBER equals DUKA_SHORTCODE. For a till, DUKA_SHORTCODE must be the "
                "store (head office) number and DUKA_TILL_NUMBER the till customers pay.",
            )
        )
    for name, value in (("DUKA_SHORTCODE", shortcode), ("DUKA_TILL_NUMBER", till)):
        if value and not re.fullmatch(r"\d{5,7}", value):
            found.append(Finding(FAIL, f"{name} should be 5-7 digits, not '{value}'."))
    return found


async def check_daraja(settings: Settings) -> list[Finding]:
    """Credentials, passkey/shortcode pairing and clock skew, asked of Daraja itself."""
    try:
        client = daraja_client(settings)
    except DarajaError as exc:
        return [Finding(FAIL, f"Daraja settings are incomplete: {exc.message}.")]
    found: list[Finding] = []
    try:
        try:
            await client.check_credentials()
            found.append(Finding(OK, "Daraja accepted the consumer key and secret."))
        except AuthError:
            return [
                Finding(
                    FAIL,
                    "Daraja rejected the consumer key/secret. Check them, and that they belong "
                    f"to the {settings.daraja_env} environment (DUKA_DARAJA_ENV).",
                )
            ]
        except DarajaError as exc:
            return [Finding(FAIL, f"Could not reach Daraja: {exc.user_message}")]
        found.append(await _check_passkey(client))
    finally:
        await client.aclose()
    found.append(await check_clock(settings))
    return found


async def _check_passkey(client: object) -> Finding:
    """A query for a made-up request: 'Wrong credentials' means the passkey is not this code's."""
    try:
        await client.stk_query("ws_CO_000000000000000000000000")  # type: ignore[attr-defined]
    except RejectedByMpesa as exc:
        text = f"{exc.message} {exc.code or ''}".lower()
        if "credential" in text or "merchant does not exist" in text:
            return Finding(
                FAIL,
                "Daraja says the passkey does not match the shortcode (or the shortcode is not "
                "live). For a till, DUKA_SHORTCODE is the store number.",
            )
    except DarajaError:
        pass
    return Finding(OK, "The passkey and shortcode belong together.")


async def check_clock(settings: Settings) -> Finding:
    base = settings.daraja_base_url or (
        "https://api.safaricom.co.ke"
        if settings.daraja_env == "production"
        else "https://sandbox.safaricom.co.ke"
    )
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            answer = await http.get(base)
        stamp = answer.headers.get("date")
        if not stamp:
            return Finding(WARN, "Could not read Daraja's clock to compare with ours.")
        theirs = email.utils.parsedate_to_datetime(stamp)
    except (httpx.HTTPError, TypeError, ValueError):
        return Finding(WARN, "Could not read Daraja's clock to compare with ours.")
    skew = abs((SystemClock().now() - theirs).total_seconds())
    if skew > MAX_SKEW_SECONDS:
        return Finding(
            FAIL, f"This computer's clock is {skew:.0f} s off Daraja's. Turn on automatic time."
        )
    return Finding(OK, f"Clock agrees with Daraja's (within {skew:.0f} s).")


async def run_doctor(settings: Settings) -> list[Finding]:
    findings: list[Finding] = []
    db = Database(settings.database_url, settings.database_schema)
    try:
        async with db.read() as session:
            current = await session.scalar(text("SELECT version_num FROM alembic_version"))
        head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
        if current != head:
            raise LookupError(f"schema at {current}, code expects {head}")
        secret = await ensure_callback_secret(db, settings)
        findings.append(Finding(OK, "Database reachable and up to date; callback secret in place."))
    except Exception as exc:  # any driver error: report it plainly, never a traceback
        secret = "x" * 48
        findings.append(
            Finding(FAIL, f"Database not usable ({type(exc).__name__}). Run `migrate` first?")
        )
    finally:
        await db.dispose()
    findings += check_public_url(settings, secret)
    findings += check_numbers(settings)
    if not any(f.severity == FAIL for f in findings if "Consumer" in f.text):
        findings += await check_daraja(settings)
    return findings


async def register_c2b(settings: Settings) -> str:
    """Register our C2B confirmation/validation URLs for the till (or paybill)."""
    db = Database(settings.database_url, settings.database_schema)
    try:
        secret = await ensure_callback_secret(db, settings)
    finally:
        await db.dispose()
    base = f"{settings.public_url}/callbacks/{secret}"
    client = daraja_client(settings)
    try:
        ack = await client.register_c2b_urls(
            confirmation_url=f"{base}/c2b/confirmation",
            validation_url=f"{base}/c2b/validation",
            shortcode=settings.till_number.strip() or settings.shortcode.strip(),
        )
    except DarajaError as exc:
        return f"M-PESA refused the C2B URLs: {exc.user_message}"
    finally:
        await client.aclose()
    return f"C2B URLs registered: {ack.response_description}"
