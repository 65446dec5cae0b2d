"""The deployment's topology on this machine, in a real browser: a fresh PostgreSQL database,
two `python -m rpsee serve` replicas sharing it and their cookie secrets, and nginx in front with
deploy/nginx/rpsee.conf.template (local ports and paths only). A browser's session stays on its
replica; a save made through one replica is seen through the other; when a replica is killed
its users land on the other, are signed in again and have lost nothing saved (unsaved grid edits
are lost, as the Workplans page says).

As compose.yaml runs it, one process prepares the database first (the `prepare` service:
`python -m rpsee seed`, which migrates too), then both replicas start at once; here in demo mode,
for the demo accounts and workplans. Needs
PostgreSQL (RPSEE_REQUIRE_POSTGRES), Chromium and nginx (RPSEE_REQUIRE_BROWSER).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import _create_pg_database, _drop_pg_database, missing
from tests.deploy.topology import (
    ROUTE_COOKIE,
    Proxy,
    free_port,
    get,
    nginx_available,
    running_proxy,
)
from tests.e2e.conftest import (
    ROOT,
    _prepared,
    healthy,
    log_in_and_wait,
    open_page,
    settled,
    shot,
    type_in_title,
)

FAILOVER_NOTE = "Unsaved edits live in this browser's session on one server"


@dataclass
class Replica:
    name: str
    url: str
    proc: subprocess.Popen
    logs: Path

    @property
    def address(self) -> str:
        return self.url.removeprefix("http://")


@dataclass
class Topology:
    database_url: str
    replicas: list[Replica]
    proxy: Proxy
    routes: dict[str, str] = field(default_factory=dict)  # replica address -> a route to it

    def replica_at(self, address: str) -> Replica:
        return next(r for r in self.replicas if r.address == address)

    def route_to(self, replica: Replica) -> str:
        """A route cookie value nginx sends to `replica` (found by asking nginx)."""
        n = 0
        while replica.address not in self.routes and n < 200:
            route = f"probe-{n}"
            status, _headers, _body = get(f"{self.proxy.url}/_stcore/health",
                                          cookie=f"{ROUTE_COOKIE}={route}")  # fmt: skip
            assert status == 200
            (address,) = self.proxy.wait_routes(route)
            self.routes.setdefault(address, route)
            n += 1
        return self.routes[replica.address]


def _serve(name: str, folder: Path, env: dict[str, str]) -> Replica:
    logs = folder / name
    logs.mkdir()
    port = free_port()
    log = open(logs / "server.log", "w")  # noqa: SIM115  closed with the process's end
    proc = subprocess.Popen([sys.executable, "-m", "rpsee", "serve", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    return Replica(name, f"http://127.0.0.1:{port}", proc, logs)


def _stop(replica: Replica) -> None:
    if replica.proc.poll() is None:
        replica.proc.terminate()
        try:
            replica.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            replica.proc.kill()
            replica.proc.wait(timeout=15)


@pytest.fixture(scope="module")
def topology(pg_server: str) -> Iterator[Topology]:  # noqa: ARG001  (PostgreSQL is required)
    if not nginx_available():
        missing("nginx is not installed (Debian: apt-get install -y nginx)",
                "RPSEE_REQUIRE_BROWSER")  # fmt: skip
    name, url = _create_pg_database()
    folder = Path(tempfile.mkdtemp(prefix="rpsee-replicas-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RPSEE_", "STREAMLIT_"))}
    env.update({  # what compose.yaml gives both replicas (in demo mode, for the demo data)
        "DATABASE_URL": url,
        "RPSEE_COOKIE_KEY": secrets.token_urlsafe(48),
        "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(48),
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "STREAMLIT_SERVER_ALLOWED_HOSTS": "localhost",
        "RPSEE_BCRYPT_ROUNDS": "4",
        # The same path on both, as the image's /var/lib/rpsee: the login cookie's name is
        # derived from it, so replicas with different paths would not read each other's cookie.
        "RPSEE_STATE_DIR": str(folder / "state"),
    })
    replicas: list[Replica] = []
    try:
        subprocess.run([sys.executable, "-m", "rpsee", "seed"], env=env, cwd=ROOT, check=True,
                       capture_output=True, timeout=300)  # fmt: skip  (compose: `prepare`)
        replicas = [_serve("app1", folder, env), _serve("app2", folder, env)]  # both at once
        for replica in replicas:
            log = replica.logs / "server.log"
            if not healthy(replica.url, 120) or not _prepared(log, 180):
                pytest.fail(f"{replica.name} did not start:\n{log.read_text(errors='replace')}")
        proxy_dir = folder / "nginx"
        proxy_dir.mkdir()
        backends = (replicas[0].address, replicas[1].address)
        with running_proxy(proxy_dir, backends) as proxy:
            yield Topology(url, replicas, proxy)
    finally:
        for replica in replicas:
            _stop(replica)
        _drop_pg_database(name, url)
        shutil.rmtree(folder, ignore_errors=True)


def _context(browser, topology: Topology, replica: Replica | None = None):  # noqa: ANN001, ANN202
    """A browser context of the proxy's https origin (its throwaway certificate accepted),
    pinned to `replica` by a route cookie nginx gave that replica, or left to nginx."""
    context = browser.new_context(viewport={"width": 1440, "height": 1100},
                                  ignore_https_errors=True)  # fmt: skip
    if replica is not None:
        context.add_cookies([{"name": ROUTE_COOKIE, "value": topology.route_to(replica),
                              "url": topology.proxy.url, "secure": True, "httpOnly": True}])
    return context


def _route(context) -> str:  # noqa: ANN001
    return next(c["value"] for c in context.cookies() if c["name"] == ROUTE_COOKIE)


def _open_workplans(page, url: str) -> object:  # noqa: ANN001
    log_in_and_wait(page, url, "demo.planner")
    open_page(page, "Workplans", "Annual workplans")
    grid = page.locator("[data-testid='stDataFrame']:visible").first
    expect(grid).to_be_visible(timeout=30000)
    page.wait_for_timeout(1000)
    return grid


def _save(page) -> None:  # noqa: ANN001
    """Save the grid's edits and wait for the message. On this shared 2-core machine, with two
    replicas, nginx and Chromium busy, a click has been seen to go unanswered (the page still
    "Unsaved" 15 s later): click again while the edit is still unsaved (a save that did land
    leaves nothing to save, and the button disabled)."""
    saved = page.get_by_text("Saved: 1 changed, 0 added, 0 removed.", exact=True)
    button = page.get_by_role("button", name="Save")
    for attempt in range(3):
        if button.is_enabled():
            button.click()
        settled(page)
        try:
            expect(saved.or_(page.get_by_text("No unsaved edits.")).first).to_be_visible(
                timeout=20000)  # fmt: skip
            return
        except AssertionError:
            if attempt == 2:
                raise


def _signed_in_by_the_cookie(page) -> None:  # noqa: ANN001
    """After a failover, on the new session's page: the user is signed in by the login cookie
    the other replica issued (same key and cookie name on both), no password asked. The login
    form may show for a moment while the cookie is read."""
    settled(page)
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30000)
    expect(page.get_by_role("textbox", name="Username")).to_have_count(0)


def _grid_shows(page, text: str) -> None:  # noqa: ANN001
    """The workplan grid shows `text` in a cell (its accessible table mirrors the cells)."""
    cell = page.locator("[data-testid='stDataFrame'] td[role='gridcell']", has_text=text)
    expect(cell.first).to_be_attached(timeout=30000)


def _stored_titles(topology: Topology) -> set[str]:
    from rpsee.store.uow import UnitOfWork

    with UnitOfWork(url=topology.database_url) as uow:
        return {a.title for p in uow.workplans.list() for a in uow.workplans.activities(p.id)}


def test_sessions_stay_on_their_replica_and_saves_show_through_the_other(
        topology: Topology, browser) -> None:  # noqa: ANN001  # fmt: skip
    proxy = topology.proxy
    free = _context(browser, topology)  # nginx chooses its replica and sets its cookie
    try:
        page = free.new_page()
        _open_workplans(page, proxy.url)
        route = _route(free)
        cookie = next(c for c in free.cookies() if c["name"] == ROUTE_COOKIE)
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        page.reload()
        settled(page)
        (first,) = proxy.wait_routes(route)  # every request of the browser, reload too: one replica
        mine = topology.replica_at(first)
    finally:
        free.close()
    other = next(r for r in topology.replicas if r is not mine)

    writer, reader = _context(browser, topology, mine), _context(browser, topology, other)
    try:
        page_w, page_r = writer.new_page(), reader.new_page()
        grid_w = _open_workplans(page_w, proxy.url)
        # The login cookie made by one replica signs the browser in on the other (same key).
        elsewhere = _context(browser, topology, other)
        elsewhere.add_cookies([c for c in writer.cookies() if c["name"] != ROUTE_COOKIE])
        page_x = elsewhere.new_page()
        page_x.goto(proxy.url)
        expect(page_x.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30000)
        expect(page_x.get_by_role("textbox", name="Username")).to_have_count(0)
        route_x = _route(elsewhere)
        elsewhere.close()
        assert proxy.wait_routes(route_x) == {other.address}
        _open_workplans(page_r, proxy.url)
        title = f"Saved through {mine.name}, read through {other.name}"
        type_in_title(page_w, grid_w, 1, title)
        settled(page_w)
        expect(page_w.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible(
            timeout=15000)  # fmt: skip
        _save(page_w)
        page_r.reload()  # the other replica reads it from the shared database
        settled(page_r)
        expect(page_r.get_by_role("heading", name="Annual workplans")).to_be_visible(
            timeout=30000)  # fmt: skip
        _grid_shows(page_r, title)
        shot(page_r, "replicas-read-through-the-other")
        assert proxy.routes(_route(writer)) == {mine.address}
        assert proxy.routes(_route(reader)) == {other.address}
    finally:
        writer.close()
        reader.close()
    assert title in _stored_titles(topology)


def test_a_killed_replicas_users_land_on_the_other_and_lose_nothing_saved(
        topology: Topology, browser) -> None:  # noqa: ANN001  # fmt: skip
    doomed, survivor = topology.replicas
    context = _context(browser, topology, doomed)
    try:
        page = context.new_page()
        grid = _open_workplans(page, topology.proxy.url)
        saved = "Saved before its server was killed"
        type_in_title(page, grid, 1, saved)
        settled(page)
        expect(page.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible(
            timeout=15000)  # fmt: skip
        _save(page)
        pending = "Still unsaved when its server was killed"
        type_in_title(page, grid, 2, pending)
        settled(page)
        expect(page.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible(
            timeout=15000)  # fmt: skip
        expect(page.get_by_text(FAILOVER_NOTE)).to_be_visible()  # the page warns beforehand
        route = _route(context)
        assert topology.proxy.routes(route) == {doomed.address}

        doomed.proc.kill()  # SIGKILL: no goodbye to the browser
        doomed.proc.wait(timeout=30)
        check = [sys.executable, str(ROOT / "deploy" / "healthcheck.py")]
        port = doomed.address.rsplit(":", 1)[1]
        assert subprocess.run(check, env={**os.environ, "PORT": port}, capture_output=True,
                              timeout=30).returncode == 1  # fmt: skip  (unhealthy)

        # Within a second the page reconnects through nginx, which skips the dead replica (its
        # requests reach the survivor: nginx's log). The page stays as it was, pending edit
        # included, until the user's next click (here: Save), which runs in a new session on
        # the survivor, signed in again by the login cookie; the pending edit is gone.
        deadline = time.monotonic() + 60
        while survivor.address not in topology.proxy.routes(route):
            assert time.monotonic() < deadline, "the page did not reconnect to the survivor"
            page.wait_for_timeout(250)
        settled(page)
        page.get_by_role("button", name="Save").click()  # the next click
        expect(page.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_hidden(
            timeout=60000)  # fmt: skip  (the new session's page)
        _signed_in_by_the_cookie(page)
        expect(page.get_by_text("Demo Planner (Regional Representative)")).to_be_visible()
        shot(page, "replicas-after-failover")
        open_page(page, "Workplans", "Annual workplans")
        expect(page.locator("[data-testid='stDataFrame']:visible").first).to_be_visible(
            timeout=30000)  # fmt: skip
        _grid_shows(page, saved)
        expect(page.get_by_text("No unsaved edits.")).to_be_visible(timeout=15000)
        shot(page, "replicas-saved-work-on-the-survivor")
    finally:
        context.close()
    titles = _stored_titles(topology)
    assert saved in titles and pending not in titles
    # From now on the route stays with the survivor (the dead replica is skipped).
    status, _headers, _body = get(f"{topology.proxy.url}/_stcore/health",
                                  cookie=f"{ROUTE_COOKIE}={route}")  # fmt: skip
    assert status == 200
