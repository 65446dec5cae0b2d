"""The deployment's nginx configuration at work, in front of two stand-in replicas (small HTTP
servers that answer with their name and the headers they received): a browser without a route
cookie gets one; with it, every request reaches the same replica; routes spread over both; the
WebSocket upgrade headers reach the replica; a replica that is down is skipped and its browsers
land on the other one. The real app behind it: tests/e2e/test_e2e_replicas.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import missing
from tests.deploy.topology import ROUTE_COOKIE, Proxy, get, nginx_available, running_proxy


class _Replica(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802  (http.server's name)
        body = json.dumps({"replica": self.server.name,  # type: ignore[attr-defined]
                           "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


def _replica(name: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Replica)
    server.name = name  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def topology(tmp_path: Path) -> Iterator[tuple[Proxy, dict[str, ThreadingHTTPServer]]]:
    if not nginx_available():
        missing("nginx is not installed (Debian: apt-get install -y nginx)",
                "RPSEE_REQUIRE_DEPLOY_TOOLS")  # fmt: skip
    replicas = {"one": _replica("one"), "two": _replica("two")}
    backends = tuple(f"127.0.0.1:{r.server_address[1]}" for r in replicas.values())
    try:
        with running_proxy(tmp_path, backends) as proxy:  # type: ignore[arg-type]
            yield proxy, replicas
    finally:
        for server in replicas.values():
            server.shutdown()
            server.server_close()


def _replica_of(proxy: Proxy, route: str, path: str = "/") -> str:
    status, _headers, body = get(proxy.url + path, cookie=f"{ROUTE_COOKIE}={route}")
    assert status == 200, (status, body[:200])
    return json.loads(body)["replica"]


def test_a_new_browser_gets_a_route_cookie_and_keeps_its_replica(topology) -> None:  # noqa: ANN001
    proxy, _ = topology
    status, headers, body = get(proxy.url + "/")
    assert status == 200
    cookie = headers["set-cookie"]
    assert cookie.startswith(f"{ROUTE_COOKIE}=")
    for flag in ("Path=/", "Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in cookie, cookie
    route = cookie.split(";")[0].split("=", 1)[1]
    first = json.loads(body)["replica"]
    assert {_replica_of(proxy, route, f"/page{n}") for n in range(20)} == {first}
    _status, again, _body = get(proxy.url + "/", cookie=f"{ROUTE_COOKIE}={route}")
    assert "set-cookie" not in again, "a browser with a route is not given another"
    assert len(proxy.wait_routes(route)) == 1, "the access log names one upstream for the route"


def test_routes_spread_over_both_replicas(topology) -> None:  # noqa: ANN001
    proxy, _ = topology
    seen = [_replica_of(proxy, f"route-{n}") for n in range(40)]
    assert set(seen) == {"one", "two"}
    assert min(seen.count("one"), seen.count("two")) >= 8, seen  # not all on one


def test_websocket_upgrade_headers_reach_the_replica(topology) -> None:  # noqa: ANN001
    proxy, _ = topology
    _status, _headers, body = get(proxy.url + "/_stcore/stream",
                                  headers={"Upgrade": "websocket", "Connection": "Upgrade"})
    received = json.loads(body)["headers"]
    assert received["upgrade"] == "websocket" and received["connection"] == "upgrade"
    assert received["x-forwarded-proto"] == "https"
    assert received["host"].startswith("localhost:")  # as the browser sent it (Origin check)
    _status, _headers, body = get(proxy.url + "/")
    assert json.loads(body)["headers"]["connection"] == "close"


def test_security_headers_and_no_public_metrics(topology) -> None:  # noqa: ANN001
    proxy, _ = topology
    _status, headers, _body = get(proxy.url + "/")
    assert "wss://localhost" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["strict-transport-security"].startswith("max-age=")
    assert get(proxy.url + "/_stcore/metrics")[0] == 404


def test_a_replica_that_is_down_is_skipped(topology) -> None:  # noqa: ANN001
    proxy, replicas = topology
    routes = {name: [] for name in replicas}
    for n in range(40):
        routes[_replica_of(proxy, f"route-{n}")].append(f"route-{n}")
    replicas["one"].shutdown()
    replicas["one"].server_close()
    # Every browser of replica one lands on two, at once (its first request is retried there).
    assert {_replica_of(proxy, route) for route in routes["one"]} == {"two"}
    assert {_replica_of(proxy, route) for route in routes["two"]} == {"two"}
    replica_two = next(iter(proxy.wait_routes(routes["two"][0])))
    retried = proxy.wait_routes(routes["one"][0])
    assert replica_two in retried and len(retried) == 2, "logged: the failed try, the answer"
