"""`python -m app.demo` (what `make demo` runs): simulator + backend + app, wired together.

Starts three processes on loopback — the Daraja simulator, the backend configured for the
simulator's Buy Goods till, and the app served to a browser — creates the demo owner and cashier
on first run, and prints the three things to open. Ctrl-C stops all three.
Only subprocesses: this module imports no server package, so the app stays light.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import webbrowser
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SIM_PORT = int(os.environ.get("DUKA_DEMO_SIM_PORT", "8100"))
BACKEND_PORT = int(os.environ.get("DUKA_DEMO_BACKEND_PORT", "8000"))
APP_PORT = int(os.environ.get("DUKA_DEMO_APP_PORT", "8550"))
OWNER, OWNER_PASSWORD = "owner", "duka-owner-demo"  # demo only: printed on screen
CASHIER, CASHIER_PIN = "cashier", "1234"
CUSTOMER = "254712345678"
# The simulator's documented defaults (daraja_sim.config / merchants): not real secrets.
SIM_KEY, SIM_SECRET = "duka-sim-key", "duka-sim-secret"
SIM_PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
TILL_STORE, TILL_NUMBER = "300300", "300301"


def backend_env() -> dict[str, str]:
    """Settings for a backend talking to the local simulator's till (DUKA_* variables)."""
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    return {
        **os.environ,
        "DUKA_DARAJA_BASE_URL": f"http://127.0.0.1:{SIM_PORT}",
        "DUKA_DARAJA_CONSUMER_KEY": SIM_KEY,
        "DUKA_DARAJA_CONSUMER_SECRET": SIM_SECRET,
        "DUKA_DARAJA_PASSKEY": SIM_PASSKEY,
        "DUKA_SHORTCODE": TILL_STORE,
        "DUKA_TILL_NUMBER": TILL_NUMBER,
        "DUKA_SHOP_NAME": "Duka la Demo",
        "DUKA_PUBLIC_URL": f"http://127.0.0.1:{BACKEND_PORT}",
        "DUKA_DATABASE_URL": f"sqlite+aiosqlite:///{var / 'demo.db'}",
    }


def wait_http(url: str, what: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Block until `url` answers, or exit with a message naming the part that failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The {what} stopped while starting (exit {process.returncode}).")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1, trust_env=False).status_code < 500:
                return
        time.sleep(0.3)
    raise SystemExit(f"The {what} did not answer on {url} within {timeout:.0f} s.")


def backend_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `python -m backend <args>` with the demo settings; the caller judges the result."""
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "backend", *args],
        input=stdin,
        env=backend_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def create_user(kind: str, username: str, secret: str) -> None:
    """Create a demo user; one that already exists (a second demo run) is fine."""
    flag = "--password-stdin" if kind == "owner" else "--pin-stdin"
    result = backend_cli(f"create-{kind}", "--username", username, flag, stdin=f"{secret}\n")
    said = (result.stdout + result.stderr).lower()
    if result.returncode != 0 and "already taken" not in said and "exist" not in said:
        raise SystemExit(f"Could not create the demo {kind}: {result.stderr or result.stdout}")


def main() -> None:
    python = sys.executable
    processes: list[subprocess.Popen[bytes]] = []
    # `kill` / a closing terminal stops the children too, through the `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([python, *args], cwd=ROOT, env=env)  # noqa: S603
        processes.append(process)
        return process

    try:
        sim = start("-m", "daraja_sim", "--port", str(SIM_PORT))
        wait_http(f"http://127.0.0.1:{SIM_PORT}/__sim__/", "simulator", sim)
        migrated = backend_cli("migrate")
        if migrated.returncode != 0:
            raise SystemExit(f"Could not prepare the demo database: {migrated.stderr}")
        create_user("owner", OWNER, OWNER_PASSWORD)
        create_user("cashier", CASHIER, CASHIER_PIN)
        backend = start("-m", "backend", "serve", "--port", str(BACKEND_PORT), env=backend_env())
        wait_http(f"http://127.0.0.1:{BACKEND_PORT}/healthz", "backend", backend)
        print(backend_cli("register-c2b").stdout.strip(), flush=True)
        server = f"http://127.0.0.1:{BACKEND_PORT}"
        app = start("-m", "app", "--web", "--port", str(APP_PORT), "--server", server)
        app_url = f"http://127.0.0.1:{APP_PORT}"
        wait_http(app_url, "app", app)
        print(
            "\nDuka demo is running (Ctrl-C stops it):\n"
            f"  1. The app (cashier):        {app_url}   sign in as {CASHIER} / PIN {CASHIER_PIN}\n"
            f"  2. The customer's phone:     http://127.0.0.1:{SIM_PORT}/phone/{CUSTOMER}\n"
            f"  3. The owner's sign-in:      {app_url}   sign in as {OWNER} / {OWNER_PASSWORD}\n"
            "  Charge 0712 345 678 and enter any 4-digit PIN on page 2"
            " (0700 000 000 always pays by itself).\n",
            flush=True,
        )
        if os.environ.get("DISPLAY") or sys.platform in ("darwin", "win32"):
            with contextlib.suppress(Exception):
                webbrowser.open(app_url)
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        print("A part of the demo stopped; shutting the rest down.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
