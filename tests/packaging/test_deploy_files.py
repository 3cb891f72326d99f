"""The container image, compose file, Caddyfile, systemd units and env template say what they must.

Docker has no engine on this machine, so the image and compose file are read, not run; Caddy's
own validator and `systemd-analyze verify` check their files when those tools are installed.
"""

from __future__ import annotations

import configparser
import ipaddress
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from backend.core.config import Settings
from tests.packaging.conftest import ROOT
from tests.packaging.deployfiles import (
    caddy_blocks_balanced,
    dockerfile_stages,
    first_party_imports,
)

DEPLOY = ROOT / "deploy"
FIRST_PARTY = {"app", "backend", "backend_client", "daraja_sim", "keqr", "build_config"}
# Variables only compose, Caddy or the backup script read; everything else DUKA_* is a setting.
DEPLOY_ONLY = {
    "DUKA_DOMAIN",
    "DUKA_ACME_EMAIL",
    "DUKA_DB_PASSWORD",
    "DUKA_BACKUP_KEEP",
    "DUKA_BACKUP_DIR",
}


def run(argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argv of a known tool, no shell
        argv, capture_output=True, text=True, check=False, timeout=60, env={**env} or None
    )


# ----- Dockerfile ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stages() -> list[Any]:
    return dockerfile_stages((DEPLOY / "Dockerfile").read_text(encoding="utf-8"))


def test_image_is_multi_stage_and_ships_only_the_runtime(stages) -> None:
    assert len(stages) >= 2, "the image should build in one stage and run in another"
    runtime = stages[-1]
    assert any(src.startswith("--from=") for src in runtime.all("COPY")), "runtime copies the build"
    installs = " ".join(runtime.all("RUN"))
    assert "build-essential" not in installs and "gcc" not in installs, "no compiler at run time"


def test_image_runs_as_an_unprivileged_user(stages) -> None:
    users = stages[-1].all("USER")
    assert users, "the runtime stage must switch away from root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_image_healthcheck_asks_readyz_on_the_exposed_port(stages) -> None:
    runtime = stages[-1]
    (check,) = runtime.all("HEALTHCHECK")
    (port,) = runtime.all("EXPOSE")
    assert f"127.0.0.1:{port}/readyz" in check
    assert "--interval" in check and "--retries" in check
    assert f'"{port}"' in runtime.all("CMD")[-1], "the server must listen on the exposed port"
    assert runtime.all("ENTRYPOINT")[-1] == '["python", "-m", "backend"]'


def test_image_copies_every_package_the_backend_imports(stages) -> None:
    copied = {args.split()[0] for stage in stages for args in stage.all("COPY")}
    needed = first_party_imports(ROOT / "backend", FIRST_PARTY) | {"backend"}
    assert needed <= copied, f"the image lacks {sorted(needed - copied)}, which backend imports"
    assert "app" not in copied, "the Flet app has no business in the server image"


# ----- compose ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_postgres_backend_and_caddy(compose) -> None:
    services = compose["services"]
    assert {"db", "migrate", "backend", "caddy"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["caddy"]["image"].startswith("caddy:")
    assert services["migrate"]["command"] == ["migrate"]


def test_only_caddy_is_reachable_from_outside(compose) -> None:
    services = compose["services"]
    published = {name for name, spec in services.items() if spec.get("ports")}
    assert published == {"caddy"}
    assert {str(port).split(":")[0] for port in services["caddy"]["ports"]} >= {"80", "443"}


def test_backend_starts_after_migrations_and_caddy_after_backend_is_ready(compose) -> None:
    services = compose["services"]
    backend = services["backend"]["depends_on"]
    assert backend["migrate"]["condition"] == "service_completed_successfully"
    assert backend["db"]["condition"] == "service_healthy"
    assert services["caddy"]["depends_on"]["backend"]["condition"] == "service_healthy"
    assert "healthcheck" in services["db"]


def test_backend_trusts_forwarded_addresses_only_from_caddy(compose, monkeypatch) -> None:
    services = compose["services"]
    caddy_ip = services["caddy"]["networks"]["internal"]["ipv4_address"]
    subnet = compose["networks"]["internal"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(caddy_ip) in ipaddress.ip_network(subnet)
    trusted = services["backend"]["environment"]["DUKA_TRUSTED_PROXIES"]
    monkeypatch.setenv("DUKA_TRUSTED_PROXIES", trusted)
    assert Settings(_env_file=None).trusted_proxies == [caddy_ip]


def test_compose_database_urls_point_at_the_db_service(compose) -> None:
    for name in ("migrate", "backend"):
        url = compose["services"][name]["environment"]["DUKA_DATABASE_URL"]
        assert url.startswith("postgresql+asyncpg://duka:") and "@db:5432/duka" in url
    backup = compose["services"]["backup"]
    assert backup["profiles"] == ["tools"], "backups run on demand, not with `up`"
    assert "./backup.sh:/deploy/backup.sh:ro" in backup["volumes"]


def test_every_compose_variable_is_in_the_env_template(compose) -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{(DUKA_[A-Z_]+)", text))
    template = env_template_names()
    assert used - template == set(), f"compose reads {sorted(used - template)}: add to env.example"


def test_filled_in_env_files_are_never_committed() -> None:
    for path in ("deploy/.env", ".env"):
        done = run(["git", "-C", str(ROOT), "check-ignore", "-q", path])
        assert done.returncode == 0, f"{path} would be committed: it holds secrets"


# ----- env template -------------------------------------------------------------------------------


def env_template_names() -> set[str]:
    text = (DEPLOY / "env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*(DUKA_[A-Z_]+)=", text, re.M))


def test_env_template_names_only_real_settings() -> None:
    settings = {f"DUKA_{name.upper()}" for name in Settings.model_fields}
    unknown = env_template_names() - settings - DEPLOY_ONLY
    assert not unknown, f"env.example sets {sorted(unknown)}, which the backend does not read"


def test_env_template_allow_list_parses_to_safaricom_addresses(monkeypatch) -> None:
    text = (DEPLOY / "env.example").read_text(encoding="utf-8")
    (line,) = re.findall(r"^DUKA_CALLBACK_ALLOWED_IPS=(.*)$", text, re.M)
    monkeypatch.setenv("DUKA_CALLBACK_ALLOWED_IPS", line)
    allowed = Settings(_env_file=None).callback_allowed_ips
    assert len(allowed) == 14
    safaricom = ipaddress.ip_network("196.201.212.0/22")
    assert all(ipaddress.ip_address(ip) in safaricom for ip in allowed)


def test_env_template_holds_no_secret_values() -> None:
    secret = re.compile(r"^(DUKA_\w*(SECRET|PASSWORD|PASSKEY|KEY))=(.+)$", re.M)
    filled = secret.findall((DEPLOY / "env.example").read_text(encoding="utf-8"))
    assert filled == [], f"env.example must leave secrets empty: {[name for name, *_ in filled]}"


# ----- Caddyfile ----------------------------------------------------------------------------------


def test_caddyfile_proxies_the_backend_service_with_streaming(compose, stages) -> None:
    text = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert caddy_blocks_balanced(text)
    assert re.search(r"^\{\$DUKA_DOMAIN\}\s*\{", text, re.M), "site address comes from DUKA_DOMAIN"
    (port,) = stages[-1].all("EXPOSE")
    assert f"reverse_proxy backend:{port}" in text
    assert "flush_interval -1" in text, "the SSE feed must not be buffered"
    assert "Strict-Transport-Security" in text
    mount = "./Caddyfile:/etc/caddy/Caddyfile:ro"
    assert mount in compose["services"]["caddy"]["volumes"]


@pytest.mark.skipif(
    shutil.which("caddy") is None, reason="caddy not installed (apt-get install caddy)"
)
def test_caddy_accepts_the_caddyfile() -> None:
    done = run(
        [
            "caddy",
            "adapt",
            "--config",
            str(DEPLOY / "Caddyfile"),
            "--adapter",
            "caddyfile",
            "--validate",
        ],
        DUKA_DOMAIN="api.example.co.ke",
        DUKA_ACME_EMAIL="owner@example.co.ke",
        PATH="/usr/bin:/bin",
        HOME=str(ROOT),
    )
    assert done.returncode == 0, done.stderr
    assert '"dial":"backend:8000"' in done.stdout


# ----- systemd ------------------------------------------------------------------------------------


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign] # systemd keys are CamelCase
    parser.read_string((DEPLOY / "systemd" / name).read_text(encoding="utf-8"))
    return parser


def test_backend_unit_runs_migrations_then_the_server_unprivileged() -> None:
    service = unit("duka-backend.service")
    assert set(service.sections()) == {"Unit", "Service", "Install"}
    main = service["Service"]
    assert main["User"] not in {"root", "0"}
    assert main["ExecStartPre"].endswith("-m backend migrate")
    assert "-m backend serve" in main["ExecStart"]
    assert "--host 127.0.0.1" in main["ExecStart"], "bare installs sit behind a local proxy"
    assert main["EnvironmentFile"] == "/etc/duka/duka.env"
    assert main["NoNewPrivileges"] == "yes" and main["ProtectSystem"] == "strict"
    assert main["Restart"] == "on-failure"
    assert service["Install"]["WantedBy"] == "multi-user.target"


def test_backup_timer_runs_the_documented_backup_script_daily() -> None:
    service = unit("duka-backup.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["ExecStart"].split()[0].endswith("/deploy/backup.sh")
    timer = unit("duka-backup.timer")["Timer"]
    assert timer["OnCalendar"].startswith("*-*-*") and timer["Persistent"] == "true"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    # verify insists the executables exist: point them at this machine's Python and script.
    for name in ("duka-backend.service", "duka-backup.service", "duka-backup.timer"):
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
        text = text.replace("/opt/duka/.venv/bin/python", sys.executable)
        text = text.replace("/opt/duka/deploy/backup.sh", str(DEPLOY / "backup.sh"))
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = run(
        ["systemd-analyze", "verify", *(str(path) for path in sorted(tmp_path.iterdir()))],
        PATH="/usr/bin:/bin",
        SYSTEMD_LOG_LEVEL="warning",
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr


# ----- scripts ------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_backup_scripts_pass_shellcheck() -> None:
    done = run(["shellcheck", "--shell=sh", str(DEPLOY / "backup.sh"), str(DEPLOY / "restore.sh")])
    assert done.returncode == 0, done.stdout


def test_backup_scripts_are_executable_posix_sh() -> None:
    for name in ("backup.sh", "restore.sh"):
        script = DEPLOY / name
        assert script.read_text(encoding="utf-8").startswith("#!/bin/sh\n"), name
        assert script.stat().st_mode & 0o111, f"{name} must be executable (compose runs it as is)"


# ----- schema -------------------------------------------------------------------------------------


def check_schema(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    """Validate files against a schema vendored in check-jsonschema (no network needed)."""
    argv = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema]
    return run([*argv, *(str(path) for path in paths)], PATH="/usr/bin:/bin")


def test_compose_file_follows_the_compose_specification(tmp_path: Path) -> None:
    done = check_schema("vendor.compose-spec", DEPLOY / "compose.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    # The control: a misspelt key must be caught, or the check above proves nothing.
    broken = tmp_path / "compose.yaml"
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("depends_on:", "depend_on:", 1), encoding="utf-8")
    assert check_schema("vendor.compose-spec", broken).returncode != 0
