"""The deployment's nginx, run on this machine: deploy/nginx/rpsee.conf.template rendered with
local ports and paths (nothing else changed), a throwaway TLS certificate, nginx started as the
current user with its own prefix, pid and log files. Used by tests/deploy and the browser test of
two replicas (tests/e2e/test_e2e_replicas.py)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "nginx" / "rpsee.conf.template"
COMPOSE = DEPLOY / "compose.yaml"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "localhost"  # the public host name the test uses in place of ${RPSEE_HOST}
# The replicas' addresses in the template (compose.yaml gives the containers these addresses).
REPLICA_ADDRESSES = ("172.30.18.11:8501", "172.30.18.12:8501")
ROUTE_COOKIE = "rpsee_route"


def nginx_available() -> bool:
    return Path(NGINX).exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def upstream_servers(template: str) -> list[str]:
    """The `server` lines' addresses of the template's upstream block."""
    block = re.search(r"upstream\s+rpsee_app\s*\{(.*?)\}", template, re.S)
    assert block, "no upstream rpsee_app block"
    return re.findall(r"^\s*server\s+(\S+)", block.group(1), re.M)


def write_certificate(folder: Path, host: str = HOST) -> tuple[Path, Path]:
    """A self-signed certificate for `host`, valid for a day: (certificate, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass(frozen=True)
class Ports:
    http: int
    https: int
    health: int


def render(prefix: Path, backends: tuple[str, str], ports: Ports, host: str = HOST) -> Path:
    """nginx.conf in `prefix`: the template with the host name, the two backends, local ports
    and paths under `prefix`, inside the main context the nginx image supplies around it."""
    text = TEMPLATE.read_text(encoding="utf-8")
    cert, key = write_certificate(prefix, host)
    replaced = {
        "${RPSEE_HOST}": host,
        REPLICA_ADDRESSES[0]: backends[0],
        REPLICA_ADDRESSES[1]: backends[1],
        "listen 80;": f"listen 127.0.0.1:{ports.http};",
        "listen 80 default_server;": f"listen 127.0.0.1:{ports.http} default_server;",
        "listen 443 ssl;": f"listen 127.0.0.1:{ports.https} ssl;",
        "listen 443 ssl default_server;": f"listen 127.0.0.1:{ports.https} ssl default_server;",
        "listen 127.0.0.1:8081;": f"listen 127.0.0.1:{ports.health};",
        "/etc/nginx/tls/fullchain.pem": str(cert),
        "/etc/nginx/tls/privkey.pem": str(key),
        "/var/log/nginx/": f"{prefix}/",
    }
    for old, new in replaced.items():
        assert old in text, f"{old!r} is not in {TEMPLATE.name}: update the test's rendering"
        text = text.replace(old, new)
    (prefix / "rpsee.conf").write_text(text, encoding="utf-8")
    temp = prefix / "temp"
    temp.mkdir(exist_ok=True)
    main = f"""# Rendered by tests/deploy/topology.py (as the nginx image's nginx.conf, local paths)
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log notice;
events {{ worker_connections 512; }}
http {{
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/rpsee.conf;
}}
"""
    conf = prefix / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    return conf


def nginx_test(conf: Path, prefix: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on the rendered configuration."""
    command = [NGINX, "-t", "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)]
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


@dataclass
class Proxy:
    """nginx in front of the two backends: `url` is https://localhost:<port>."""

    url: str
    prefix: Path
    proc: subprocess.Popen
    ports: Ports

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def log_lines(self) -> list[str]:
        return self.access_log.read_text(errors="replace").splitlines() \
            if self.access_log.exists() else []  # fmt: skip

    def routes(self, route: str) -> set[str]:
        """The upstream addresses nginx logged for requests of the route cookie `route` (a
        request retried on another replica logs both, comma-separated)."""
        found: set[str] = set()
        for line in self.log_lines():
            match = re.search(r" route=(\S+) upstream=(.+?) rt=", line)
            if match and match.group(1) == route:
                found.update(a.strip() for a in match.group(2).split(","))
        return found


    def wait_routes(self, route: str, limit_s: float = 10) -> set[str]:
        """`routes(route)` once nginx has logged a request of it (it logs after answering)."""
        deadline = time.monotonic() + limit_s
        while not (found := self.routes(route)) and time.monotonic() < deadline:
            time.sleep(0.05)
        return found


def _ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own throwaway certificate
    return context


def get(url: str, cookie: str | None = None, headers: dict[str, str] | None = None,
        timeout: float = 10) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    """GET through the proxy: (status, headers, body); the certificate is not checked."""
    request = urllib.request.Request(url, headers={**(headers or {})})
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=_ssl_context()) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


@contextmanager
def running_proxy(prefix: Path, backends: tuple[str, str]) -> Iterator[Proxy]:
    """nginx with the rendered configuration, in the foreground of its own process (ended in
    teardown), answering on 127.0.0.1 (as https://localhost:<port>)."""
    ports = Ports(free_port(), free_port(), free_port())
    conf = render(prefix, backends, ports)
    log = open(prefix / "nginx.out", "w")  # noqa: SIM115
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"),
                             "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    proxy = Proxy(f"https://{HOST}:{ports.https}", prefix, proc, ports)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{ports.health}/health",
                                          timeout=2).read() == b"ok\n":  # fmt: skip
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                errors = (prefix / "error.log").read_text(errors="replace") \
                    if (prefix / "error.log").exists() else ""  # fmt: skip
                raise AssertionError(f"nginx did not start: {errors}")
            time.sleep(0.1)
        yield proxy
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)  # graceful: workers finish, then the master exits
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        log.close()
