"""The image's start command and healthcheck, run as the Dockerfile writes them, against the sim.

Docker cannot run here, so the runtime stage's ENTRYPOINT + CMD start the backend as a process
(host and port swapped for a free loopback port) and its HEALTHCHECK command is executed as is:
it must pass once the backend is ready and fail while Daraja refuses our credentials.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.packaging.conftest import ROOT
from tests.packaging.deployfiles import dockerfile_stages
from tests.support.backend_fixtures import fast_settings, settings_env
from tests.support.servers import free_port

IMAGE_PORT = "8000"


@pytest.fixture(scope="module")
def runtime_stage():
    return dockerfile_stages((ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8"))[-1]


def exec_form(args: str) -> list[str]:
    """Parse a JSON-array (exec form) instruction argument, as Docker does."""
    parsed = json.loads(args)
    assert isinstance(parsed, list) and all(isinstance(arg, str) for arg in parsed)
    return parsed


def localised(argv: list[str], port: int) -> list[str]:
    """Run `python` as this interpreter, on loopback and a free port instead of 0.0.0.0:8000."""
    swapped = [sys.executable if argv[0] == "python" else argv[0]]
    for arg in argv[1:]:
        if arg == "0.0.0.0":
            swapped.append("127.0.0.1")
        elif arg == IMAGE_PORT:
            swapped.append(str(port))
        else:
            swapped.append(arg.replace(f"127.0.0.1:{IMAGE_PORT}/", f"127.0.0.1:{port}/"))
    return swapped


@contextmanager
def image_process(runtime_stage, env: dict[str, str], workdir: Path) -> Iterator[int]:
    """Start the backend with the image's ENTRYPOINT + CMD; yield its port once /healthz answers."""
    port = free_port()
    (entrypoint,) = runtime_stage.all("ENTRYPOINT")
    cmd = runtime_stage.all("CMD")[-1]
    argv = localised(exec_form(entrypoint) + exec_form(cmd), port)
    log = (workdir / "backend.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - the Dockerfile's own command
        argv, cwd=workdir, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (workdir / "backend.log").read_text(errors="replace")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the backend did not start within 60 s"
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def healthcheck(runtime_stage, port: int) -> subprocess.CompletedProcess[str]:
    (check,) = runtime_stage.all("HEALTHCHECK")
    argv = localised(exec_form(check[check.index("CMD") + 3 :].strip()), port)
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=30)  # noqa: S603


def image_env(tmp_path: Path, sim_url: str, **overrides: str) -> dict[str, str]:
    settings = fast_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'duka.db'}",
        sim_url,
        "https://duka.example.com",
        **overrides,
    )
    return settings_env(settings)


def test_image_command_serves_and_its_healthcheck_passes_when_ready(
    runtime_stage, sim, tmp_path
) -> None:
    with image_process(runtime_stage, image_env(tmp_path, sim.url), tmp_path) as port:
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
        done = healthcheck(runtime_stage, port)
    assert done.returncode == 0, done.stderr


def test_image_healthcheck_fails_while_daraja_refuses_the_credentials(
    runtime_stage, sim, tmp_path
) -> None:
    env = image_env(tmp_path, sim.url, daraja_consumer_secret="not-the-secret")
    with image_process(runtime_stage, env, tmp_path) as port:
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).status_code == 503
        done = healthcheck(runtime_stage, port)
    assert done.returncode != 0
    assert "not-the-secret" not in done.stderr + done.stdout
