"""Drive the real app in Debian's headless chromium: start `python -m app --web`, find controls.

Shared by the browser tests and `bench/app_e2e.py`. Controls are found by their stable semantics
identifiers (`[flt-semantics-identifier=...]`), the same ones screen readers use.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RECEIPT = re.compile(r"\b[A-Z0-9]{10}\b")


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} missing: apt-get install -y chromium (.ci/run does this)"
    return None


@dataclass
class AppServer:
    """A running `python -m app --web`: its URL and everything it wrote (stdout + stderr)."""

    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def app_server(backend_url: str, *, timeout: float = 60.0) -> Iterator[AppServer]:
    """Run `python -m app --web` on a free loopback port against `backend_url`."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "app", "--web", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--server", backend_url]
    env = {**os.environ, "FLET_WEB_NO_CDN": "1", "PYTHONUNBUFFERED": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "app.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 - our own CLI
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                _wait_until_serving(process, url, log_path, timeout)
                yield AppServer(url, log_path)
            finally:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)


def _wait_until_serving(
    process: subprocess.Popen[bytes], url: str, log_path: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"python -m app exited early:\n{tail}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1.0, trust_env=False).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"python -m app did not serve {url} within {timeout} s")
        time.sleep(0.2)


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """An async Playwright browser: Debian's chromium, headless, no network extras."""
    from playwright.async_api import async_playwright  # noqa: PLC0415 - dev-only dependency

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


def selector(identifier: str) -> str:
    return f'[flt-semantics-identifier="{identifier}"]'


class AppPage:
    """One browser tab on the app, addressed by semantics identifiers."""

    def __init__(self, page: Any) -> None:
        self.page = page

    @classmethod
    async def open(cls, browser: Any, url: str) -> AppPage:
        context = await browser.new_context(viewport={"width": 480, "height": 900})
        app = cls(await context.new_page())
        await app.page.goto(url)
        await app._ready()
        return app

    async def reload(self) -> None:
        """Reload the tab: a new Flet session in the same browser storage."""
        await self.page.reload()
        await self._ready()

    async def _ready(self) -> None:
        page = self.page
        await page.wait_for_selector("flutter-view", state="attached", timeout=60_000)
        await page.wait_for_selector("#loading", state="detached", timeout=60_000)
        # Flutter builds its accessibility tree only once asked to.
        await page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
        await page.wait_for_selector("flt-semantics", state="attached", timeout=30_000)

    async def close(self) -> None:
        await self.page.context.close()

    async def wait_for(self, identifier: str, timeout: float = 30.0) -> None:  # noqa: ASYNC109 - Playwright takes its own deadline
        try:
            await self.page.wait_for_selector(
                selector(identifier), state="attached", timeout=timeout * 1000
            )
        except Exception as exc:
            shot = await self.screenshot(f"failed-{identifier}")
            raise AssertionError(
                f"{identifier!r} did not appear in {timeout} s (see {shot})"
            ) from exc

    async def fill(self, identifier: str, text: str) -> None:
        await self.wait_for(identifier)
        # Flutter may rebuild the semantics node just after it appears; a fill that landed on the
        # old node is lost, so check the value took and type it again if not.
        for _ in range(5):
            field = self.page.locator(f"{selector(identifier)} input").first
            await field.click()
            await field.fill(text)
            await self.page.wait_for_timeout(150)
            field = self.page.locator(f"{selector(identifier)} input").first
            if await field.count() and (await field.input_value()).strip():
                return
        raise AssertionError(f"could not type into {identifier!r}")

    async def click(self, identifier: str, expect: str | None = None) -> None:
        """Tap a control; with `expect`, tap again until that control appears.

        A tap that lands while Flutter is rebuilding the semantics tree can be dropped; for
        idempotent taps (navigation, sign out) the test names what the tap should bring up.
        A `nav-*` tab that is not on the bottom bar is opened from "More" first.
        """
        if identifier.startswith("nav-") and identifier != "nav-more":
            await self._reveal_tab(identifier)
        await self.wait_for(identifier)
        target = self.page.locator(selector(identifier)).first
        if expect is None:
            await target.click()
            return
        shown = self.page.locator(selector(expect))
        for _ in range(3):
            if await shown.count():
                return
            with contextlib.suppress(Exception):  # gone already: the check above decides
                await target.click(timeout=5000)
            with contextlib.suppress(Exception):  # not there yet: tap again
                await shown.first.wait_for(state="attached", timeout=5000)
                return
        await self.wait_for(expect)

    async def _reveal_tab(self, identifier: str) -> None:
        either = f"{selector(identifier)}, {selector('nav-more')}"
        await self.page.wait_for_selector(either, state="attached", timeout=30_000)
        if not await self.page.locator(selector(identifier)).count():
            await self.click("nav-more", expect=identifier)

    async def text(self, identifier: str) -> str:
        locator = self.page.locator(selector(identifier)).first
        if not await locator.count():
            return ""
        return str(await locator.inner_text()).strip()

    async def wait_text(
        self,
        identifier: str,
        check: Callable[[str], bool],
        timeout: float = 30.0,  # noqa: ASYNC109 - polled against Playwright's clock
    ) -> str:
        """Poll the control's text until `check(text)` holds; return it, or fail showing it."""
        deadline = time.monotonic() + timeout
        seen = ""
        while time.monotonic() < deadline:
            seen = await self.text(identifier)
            if check(seen):
                return seen
            await self.page.wait_for_timeout(50)
        shot = await self.screenshot(f"failed-{identifier}")
        raise AssertionError(
            f"{identifier!r} never matched within {timeout} s; it showed {seen!r} (see {shot})"
        )

    async def screenshot(self, name: str) -> Path:
        """Save a screenshot to the git-ignored `screenshots/` folder (after transitions settle)."""
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        await self.page.wait_for_timeout(600)
        await self.page.screenshot(path=str(path))
        return path

    async def sign_in(self, username: str, secret: str, home: str) -> None:
        """Sign in from the sign-in screen; wait for `home`, an identifier on the first screen."""
        await self.fill("signin-username", username)
        await self.fill("signin-secret", secret)
        await self.click("signin-submit", expect=home)
