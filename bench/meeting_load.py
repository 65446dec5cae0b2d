"""Meeting mode under load: N signed-in sessions changing controls at once, on one server process
and on two behind nginx.

Each session is a real WebSocket session on `/_stcore/stream`, driven through Streamlit's own
protocol by `bench.st_client` (no browser: 30 Chromium pages would take the 2 CPUs from the server
being measured). A session signs in as a returning browser does: with the login cookie, a JWT
signed with the app's cookie key (the bench starts the server with a key it knows, as
`RPSEE_COOKIE_KEY`) and holding what streamlit-authenticator writes after a password login
(username, expiry). The app reads that cookie from the WebSocket handshake's request
(`st.context.cookies`, rpsee/ui/auth.py), so the session is signed in as after a real login,
without 30 bcrypt checks. The sessions use, in turn, the three demo accounts whose roles may change
meeting-mode controls (planner, Steering Committee member, finance; observers read the baseline and
shared scenarios, administrators do not see meeting mode).

Each session opens meeting mode, then, every 2-4 s (uniform, seeded), changes one control to a
value it does not hold: a donor out or delayed, the delay, a currency and its exchange-rate shock,
the probability cut-off, the counting mode, the chart, the waterfall's year. Almost every change
is a scenario not computed before. Timed per change: from the `BackMsg` sent to the run's
`script_finished` (the fragment's run), which must have drawn the chart (a Plotly element) and the
three figures and no exception.

Figures (N = 1, 10, 30 sessions, `DURATION_S` each):
- `meeting_load_p95_ms_<N>`, `meeting_load_median_ms_<N>`, `meeting_load_errors_<N>` (exceptions
  shown, disconnects, time-outs, runs without the chart), `meeting_load_changes_<N>`;
- `meeting_load_server_cpu_s_<N>` (the server process's CPU seconds over the window) and
  `server_rss_mb_<N>`; `server_rss_mb_per_session` = (RSS with 30 sessions − RSS idle) / 30,
  idle being the warm server (one session has opened meeting mode and left) before the first N;
- `meeting_load_bare_p95_ms_<N>`: the floor, a bare Streamlit page (a slider and the value
  written back) under the same N and pace, and `meeting_load_p95_ratio_<N>` = meeting / floor;
- `meeting_load_p95_ms_30_replicas`, `meeting_load_errors_30_replicas`: 30 sessions on two
  `rpsee serve` processes sharing one PostgreSQL database behind nginx (sticky by a cookie nginx
  sets), when nginx and PostgreSQL are there;
- `meeting_soak_rss_growth_pct` (`--soak`): 30 sessions for 10 minutes; growth of the server's RSS
  from the end of the warm-up (first 2 minutes) to the end (medians of the samples of the minute
  after warm-up and of the last minute).

`python -m bench.meeting_load [--duration S] [--sessions 1,10,30] [--replicas] [--soak]
[--validate]`; `python3 dev.py bench` runs it without the soak.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bench.run import ROOT, BenchmarkError, _free_port, _stop, _wait_healthy

SESSIONS = (1, 10, 30)
DURATION_S = 60.0  # timed window per N
PACE_S = (2.0, 4.0)  # a session changes a control every 2-4 s
SEED = 18
OPEN_SPREAD_S = 5.0  # the sessions open meeting mode over this long (at 30: every 0.17 s)
RUN_TIMEOUT_S = 30.0
USERS = ("demo.planner", "demo.psc", "demo.finance")  # the roles that may change the controls
NONE = "—"
SOAK_S = 600.0
SOAK_WARMUP_S = 120.0
SOAK_SAMPLE_S = 10.0
PG_ADMIN_URL = os.environ.get(
    "RPSEE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
NGINX = os.environ.get("RPSEE_NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
BARE_APP = """import streamlit as st

value = st.slider("Value", 0, 100, 0, key="x")
st.write(value)
"""


# --------------------------------------------------------------------------- processes


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise BenchmarkError(f"No VmRSS in /proc/{pid}/status")


def _load() -> float:
    return os.getloadavg()[0]


@dataclass
class Server:
    """A running app process and where to reach it."""

    proc: subprocess.Popen
    base: str
    log: Path

    @property
    def pid(self) -> int:
        return self.proc.pid


def _wait_prepared(server: Server, limit_s: float = 180.0) -> None:
    """Until `rpsee serve` says its database is prepared (its summary line)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if "Database: " in server.log.read_text(errors="replace"):
            return
        if server.proc.poll() is not None:
            raise BenchmarkError(f"The server exited:\n{server.log.read_text()}")
        time.sleep(0.2)
    raise BenchmarkError(f"The database was not prepared in {limit_s:.0f} s")


def start_app(work: Path, label: str, env_extra: dict[str, str]) -> Server:
    """`python -m rpsee serve` on a free port, healthy and its database prepared."""
    port = _free_port()
    log = work / f"{label}.log"
    env = {**os.environ, **env_extra}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rpsee", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    try:
        _wait_healthy(proc, server.base, log)
        _wait_prepared(server)
    except BaseException:
        _stop(proc)
        raise
    return server


def start_bare(work: Path) -> Server:
    """A bare Streamlit app (a slider and its value written back): the floor."""
    script = work / "bare_app.py"
    script.write_text(BARE_APP)
    port = _free_port()
    log = work / "bare.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=work, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    try:
        _wait_healthy(proc, server.base, log)
    except BaseException:
        _stop(proc)
        raise
    return server


def login_cookie(state_dir: Path, key: str, username: str, expiry_days: float) -> dict[str, str]:
    """The login cookie streamlit-authenticator sets after a password login, as the app started
    with `RPSEE_STATE_DIR=state_dir` and `RPSEE_COOKIE_KEY=key` names and checks it."""
    import jwt

    name = "rpsee_auth_" + hashlib.sha256(str(state_dir).encode()).hexdigest()[:8]
    expires = (datetime.now() + timedelta(days=expiry_days)).timestamp()
    token = jwt.encode({"username": username, "exp_date": expires}, key, algorithm="HS256")
    return {name: token}


# --------------------------------------------------------------------------- the load


@dataclass
class LoadResult:
    """What N sessions measured over one window."""

    latencies_s: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    opens_s: list[float] = field(default_factory=list)
    error_examples: list[str] = field(default_factory=list)
    client_cpu_s: float = 0.0

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.error_examples) < 5:
            self.error_examples.append(f"{kind}: {detail[:600]}")

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def p95_ms(self) -> float:
        return _percentile(self.latencies_s, 95) * 1000

    def median_ms(self) -> float:
        return statistics.median(self.latencies_s) * 1000 if self.latencies_s else float("nan")


def _percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (the value below which pct% of the samples lie)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * pct // 100)))
    return ordered[int(rank) - 1]


def meeting_change(rng: random.Random, session) -> tuple[str, object]:  # noqa: ANN001
    """One control to change and a value it does not hold (what a member at the meeting does)."""
    w = session.widgets
    late = session.value("mt_late") if "mt_late" in w else NONE
    chart = session.value("mt_chart") if "mt_chart" in w else ""
    weights = {"mt_shock": 3, "mt_cutoff": 2, "mt_out": 2, "mt_late": 1, "mt_currency": 1,
               "mt_mode": 1, "mt_chart": 1, "mt_years": 1 if late != NONE else 0,
               "mt_year": 1 if chart == "Planned costs to gap" else 0}  # fmt: skip
    keys = [k for k, n in weights.items() if n and k in w]
    key = rng.choices(keys, [weights[k] for k in keys])[0]
    now = session.value(key)
    widget = w[key]
    if widget.kind == "slider":
        low, high, step = {"mt_shock": (-30, 30, 5), "mt_cutoff": (0, 100, 5),
                           "mt_years": (0, 3, 1)}[key]  # fmt: skip
        values = [v for v in range(low, high + 1, step) if v != now]
    else:
        values = [o for o in widget.options if o != now]
    return key, rng.choice(values)


def bare_change(rng: random.Random, session) -> tuple[str, object]:  # noqa: ANN001
    now = session.value("x")
    return "x", rng.choice([v for v in range(0, 101) if v != now])


def _check_run(run, want_chart: bool) -> str | None:  # noqa: ANN001
    """What is wrong with a run a browser would have drawn, if anything."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if run.exceptions:
        return "exception: " + run.exceptions[0]
    if run.status not in (ForwardMsg.FINISHED_SUCCESSFULLY,
                          ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):  # fmt: skip
        return f"finished with status {run.status}"
    if want_chart and (not run.of_type("plotly_chart") or len(run.metrics()) < 3):
        return "no chart"
    return None


async def _one_session(i: int, base: str, page: str, cookies: dict[str, str], start_at: float,
                       end_at: float, change: Callable, want_chart: bool, result: LoadResult,
                       affinity: bool, ready: asyncio.Event | None = None) -> None:  # fmt: skip
    from bench.st_client import ProtocolError, Session

    rng = random.Random(SEED * 1000 + i)
    await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
    if affinity:  # as a browser: the page first, so the proxy's affinity cookie is set
        cookies = {**cookies, **await asyncio.to_thread(_affinity_cookie, base)}
    session = Session(base, cookies, timeout_s=RUN_TIMEOUT_S)
    try:
        await session.connect()
        t0 = time.perf_counter()
        run = await session.open_page(page)
        problem = _check_run(run, want_chart)
        if problem:
            result.error("open", problem)
            return
        titles = [h.body for h in run.of_type("heading")]
        if page == "meeting" and "Meeting mode" not in titles:
            result.error("open", f"session {i}: meeting mode not shown (headings {titles})")
            return
        result.opens_s.append(time.perf_counter() - t0)
        while True:
            wait = rng.uniform(*PACE_S)
            if time.perf_counter() + wait >= end_at:
                break
            await asyncio.sleep(wait)
            key, value = change(rng, session)
            try:
                run = await session.change(key, value)
            except ProtocolError as exc:
                result.error("timeout" if "no script_finished" in str(exc) else "disconnect",
                             f"session {i}, {key}={value}: {exc}")  # fmt: skip
                return
            problem = _check_run(run, want_chart)
            if problem:
                kind = "disconnect" if session.closed_reason else problem.split(":")[0]
                result.error(kind, f"session {i}, {key}={value}: {problem}")
                if session.closed_reason:
                    return
                continue
            result.latencies_s.append(run.ended - run.started)
        if ready is not None:
            await ready.wait()  # stay connected until the memory is read
    except (OSError, ProtocolError, TimeoutError) as exc:
        result.error("disconnect", f"session {i}: {type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001  the bench client's own fault: said, not hidden
        import traceback

        result.error("client", f"session {i}: {type(exc).__name__}: {exc} "
                     + traceback.format_exc(limit=-2).replace("\n", " | "))
    finally:
        await session.close()


def _affinity_cookie(base: str) -> dict[str, str]:
    """The cookies a browser keeps from loading the page (nginx's affinity cookie)."""
    with urllib.request.urlopen(base + "/", timeout=30) as resp:
        found = {}
        for header in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
        return found


def drive(base: str, n: int, duration_s: float, page: str, cookies_for: Callable[[int], dict],
          change: Callable, want_chart: bool, at_end: Callable[[], None] | None = None,
          affinity: bool = False) -> LoadResult:  # fmt: skip
    """N sessions: each opens `page`, then changes a control every PACE_S until the window of
    `duration_s` (starting once all have opened) ends; `at_end` runs while all are still
    connected."""
    result = LoadResult()
    cpu0 = time.process_time()

    async def main() -> None:
        now = time.perf_counter()
        spread = min(OPEN_SPREAD_S, 0.2 * n)
        end_at = now + spread + duration_s
        ready = asyncio.Event()
        tasks = [asyncio.create_task(_one_session(
            i, base, page, cookies_for(i), now + spread * i / n, end_at, change, want_chart,
            result, affinity, ready)) for i in range(n)]  # fmt: skip
        await asyncio.sleep(max(0.0, end_at - time.perf_counter()))
        # every session is at most one change past the window's end
        await asyncio.wait(tasks, timeout=RUN_TIMEOUT_S + 5)
        if at_end is not None:
            await asyncio.to_thread(at_end)
        ready.set()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
    result.client_cpu_s = time.process_time() - cpu0
    return result


# --------------------------------------------------------------------------- benchmarks


def _app_env(state_dir: Path, key: str, database_url: str | None = None) -> dict[str, str]:
    env = {"RPSEE_STATE_DIR": str(state_dir), "RPSEE_COOKIE_KEY": key}
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _cookies(state_dir: Path, key: str) -> Callable[[int], dict]:
    from rpsee import config

    days = config.LOGIN_POLICY.cookie_expiry_days
    made = {u: login_cookie(state_dir, key, u, days) for u in USERS}
    return lambda i: made[USERS[i % len(USERS)]]


def _warm(base: str, cookies_for: Callable[[int], dict], affinity: bool = False) -> None:
    """One session opens meeting mode and changes a few controls (imports, first caches)."""
    r = drive(base, 1, 15.0, "meeting", cookies_for, meeting_change, True, affinity=affinity)
    if r.error_count or not r.latencies_s:
        raise BenchmarkError(f"Meeting mode fails for one session: {r.error_examples}")


def _report(label: str, n: int, r: LoadResult, extra: str = "") -> None:
    print(f"  {label} N={n:2d}: {len(r.latencies_s)} changes, median {r.median_ms():.0f} ms, "
          f"p95 {r.p95_ms():.0f} ms, errors {r.error_count} {r.errors or ''} "
          f"(client CPU {r.client_cpu_s:.1f} s, load {_load():.1f}){extra}", flush=True)
    for example in r.error_examples:
        print(f"    {example}", flush=True)


def bench_one_process(work: Path, sessions: tuple[int, ...], duration_s: float) -> dict:
    """N sessions on one `rpsee serve` (fresh SQLite database), N in `sessions`."""
    state = work / "load-state"
    state.mkdir()
    key = secrets.token_urlsafe(48)
    cookies_for = _cookies(state, key)
    server = start_app(work, "load-server", _app_env(state, key))
    figures: dict[str, float] = {}
    try:
        _warm(server.base, cookies_for)
        time.sleep(2)
        rss_idle = _rss_mb(server.pid)
        figures["server_rss_mb_idle"] = rss_idle
        for n in sessions:
            cpu0 = _cpu_s(server.pid)
            rss: list[float] = []
            r = drive(server.base, n, duration_s, "meeting", cookies_for, meeting_change, True,
                      at_end=lambda rss=rss: rss.append(_rss_mb(server.pid)))  # fmt: skip
            cpu = _cpu_s(server.pid) - cpu0
            _report("meeting", n, r, f", server CPU {cpu:.1f} s, RSS {rss[0]:.0f} MB")
            figures.update({f"meeting_load_p95_ms_{n}": r.p95_ms(),
                            f"meeting_load_median_ms_{n}": r.median_ms(),
                            f"meeting_load_errors_{n}": r.error_count,
                            f"meeting_load_changes_{n}": len(r.latencies_s),
                            f"meeting_load_server_cpu_s_{n}": cpu,
                            f"server_rss_mb_{n}": rss[0],
                            f"meeting_load_loadavg_{n}": _load()})  # fmt: skip
            time.sleep(2)
        top = max(sessions)
        figures["server_rss_mb_per_session"] = (figures[f"server_rss_mb_{top}"] - rss_idle) / top
    finally:
        _stop(server.proc)
    return figures


def bench_bare(work: Path, sessions: tuple[int, ...], duration_s: float) -> dict:
    """The floor: a bare Streamlit page's control round trip under the same N and pace."""
    server = start_bare(work)
    figures: dict[str, float] = {}
    try:
        drive(server.base, 1, 4.0, "", lambda _i: {}, bare_change, False)  # warm
        for n in sessions:
            r = drive(server.base, n, duration_s, "", lambda _i: {}, bare_change, False)
            _report("bare   ", n, r)
            if r.error_count:
                raise BenchmarkError(f"The bare page fails under {n} sessions: {r.error_examples}")
            figures[f"meeting_load_bare_p95_ms_{n}"] = r.p95_ms()
    finally:
        _stop(server.proc)
    return figures


# --------------------------------------------------------------------------- two replicas


def _pg_available() -> str | None:
    """None when PostgreSQL answers at PG_ADMIN_URL, else why not."""
    try:
        from sqlalchemy import create_engine

        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        engine.dispose()
    except Exception as exc:  # noqa: BLE001  any failure: not available
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


def _pg_database(action: str, name: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if action == "create":
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        else:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


NGINX_CONF = """worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # Sticky by a cookie: a browser without one gets a random one with its first answer, and
    # every later request (the WebSocket included) goes to the replica that cookie hashes to.
    map $cookie_rpsee_node $rpsee_node {{ "" $request_id; default $cookie_rpsee_node; }}
    upstream rpsee {{
        hash $rpsee_node consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://rpsee;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 1h;
            add_header Set-Cookie "rpsee_node=$rpsee_node; Path=/; HttpOnly; SameSite=Lax";
        }}
    }}
}}
"""


def start_nginx(work: Path, backends: list[str]) -> tuple[subprocess.Popen, str]:
    """nginx in front of `backends` (host:port), sticky by cookie, WebSocket upgrade."""
    tmp = work / "nginx"
    tmp.mkdir()
    port = _free_port()
    servers = "\n".join(f"        server {b};" for b in backends)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, servers=servers, port=port))
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    _wait_healthy(proc, base, tmp / "nginx-error.log")
    return proc, base


def bench_replicas(work: Path, n: int, duration_s: float) -> dict:
    """N sessions on two `rpsee serve` processes sharing one PostgreSQL database, behind
    nginx."""
    if not Path(NGINX).exists():
        print(f"note: nginx not found ({NGINX}): skipping the two-replica figures")
        return {}
    problem = _pg_available()
    if problem:
        print(f"note: PostgreSQL not reachable at {PG_ADMIN_URL} ({problem}): skipping the "
              "two-replica figures")  # fmt: skip
        return {}
    name = f"rpsee_load_{uuid.uuid4().hex[:10]}"
    _pg_database("create", name)
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    # One state folder for both: the login cookie's name derives from it (rpsee.ui.auth), and
    # replicas must agree on it as they agree on the cookie key and the database.
    state = work / "replica-state"
    state.mkdir()
    key = secrets.token_urlsafe(48)
    cookies_for = _cookies(state, key)
    servers: list[Server] = []
    nginx = None
    figures: dict[str, float] = {}
    try:
        servers.append(start_app(work, "replica-a", _app_env(state, key, url)))
        servers.append(start_app(work, "replica-b", _app_env(state, key, url)))
        nginx, base = start_nginx(work, [s.base.removeprefix("http://") for s in servers])
        for s in servers:
            _warm(s.base, cookies_for)
        time.sleep(2)
        cpu0 = [_cpu_s(s.pid) for s in servers]
        r = drive(base, n, duration_s, "meeting", cookies_for, meeting_change, True,
                  affinity=True)  # fmt: skip
        cpu = [_cpu_s(s.pid) - c for s, c in zip(servers, cpu0, strict=True)]
        _report("2 replicas", n, r, f", server CPU {cpu[0]:.1f} + {cpu[1]:.1f} s")
        figures.update({f"meeting_load_p95_ms_{n}_replicas": r.p95_ms(),
                        f"meeting_load_median_ms_{n}_replicas": r.median_ms(),
                        f"meeting_load_errors_{n}_replicas": r.error_count,
                        f"meeting_load_server_cpu_s_{n}_replicas": sum(cpu),
                        f"meeting_load_loadavg_{n}_replicas": _load()})  # fmt: skip
    finally:
        if nginx is not None:
            _stop(nginx)
        for s in servers:
            _stop(s.proc)
        _pg_database("drop", name)
    return figures


# --------------------------------------------------------------------------- soak


def bench_soak(work: Path, n: int = 30, soak_s: float = SOAK_S) -> dict:
    """N sessions for `soak_s`: the server's RSS sampled every SOAK_SAMPLE_S."""
    state = work / "soak-state"
    state.mkdir()
    key = secrets.token_urlsafe(48)
    cookies_for = _cookies(state, key)
    server = start_app(work, "soak-server", _app_env(state, key))
    samples: list[tuple[float, float]] = []
    try:
        _warm(server.base, cookies_for)
        stop = False
        t0 = time.perf_counter()

        def sample() -> None:
            while not stop:
                samples.append((time.perf_counter() - t0, _rss_mb(server.pid)))
                time.sleep(SOAK_SAMPLE_S)

        import threading

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        r = drive(server.base, n, soak_s, "meeting", cookies_for, meeting_change, True)
        stop = True
        sampler.join()
    finally:
        _stop(server.proc)
    warm = [m for t, m in samples if SOAK_WARMUP_S <= t < SOAK_WARMUP_S + 60]
    last = [m for t, m in samples if t >= samples[-1][0] - 60]
    growth = (statistics.median(last) - statistics.median(warm)) / statistics.median(warm) * 100
    _report("soak", n, r, f", RSS {statistics.median(warm):.0f} -> {statistics.median(last):.0f}"
            f" MB ({growth:+.1f}%)")  # fmt: skip
    print("  RSS samples (s, MB): " + ", ".join(f"{t:.0f}:{m:.0f}" for t, m in samples))
    return {"meeting_soak_rss_growth_pct": growth, "meeting_soak_errors": r.error_count,
            "meeting_soak_p95_ms": r.p95_ms(), "meeting_soak_changes": len(r.latencies_s)}


def bench_meeting_load(work: Path, sessions: tuple[int, ...] = SESSIONS,
                       duration_s: float = DURATION_S, replicas: bool = True) -> dict:  # fmt: skip
    """The figures `python3 dev.py bench` records (no soak)."""
    figures = bench_one_process(work, sessions, duration_s)
    figures.update(bench_bare(work, sessions, duration_s))
    for n in sessions:
        bare = figures[f"meeting_load_bare_p95_ms_{n}"]
        figures[f"meeting_load_p95_ratio_{n}"] = figures[f"meeting_load_p95_ms_{n}"] / bare
    if replicas:
        figures.update(bench_replicas(work, max(sessions), duration_s))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=DURATION_S)
    parser.add_argument("--sessions", default=",".join(map(str, SESSIONS)))
    parser.add_argument("--replicas", action="store_true", help="only the two-replica figures")
    parser.add_argument("--no-replicas", action="store_true")
    parser.add_argument("--soak", action="store_true", help="only the 10-minute soak")
    parser.add_argument("--soak-seconds", type=float, default=SOAK_S)
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    parser.add_argument("--validate", action="store_true",
                        help="only compare this client's charts with Chromium's")  # fmt: skip
    args = parser.parse_args(argv)
    sessions = tuple(int(x) for x in args.sessions.split(","))
    work = Path(tempfile.mkdtemp(prefix="rpsee-bench-load-"))
    os.environ.setdefault("RPSEE_STATE_DIR", str(work / "inprocess-state"))
    os.chdir(ROOT)
    try:
        print(f"load average at start: {_load():.2f}", flush=True)
        if args.validate:
            from bench.meeting_load_check import validate

            figures = validate(work)
        elif args.soak:
            figures = bench_soak(work, max(sessions), args.soak_seconds)
        elif args.replicas:
            figures = bench_replicas(work, max(sessions), args.duration)
        else:
            figures = bench_meeting_load(work, sessions, args.duration, not args.no_replicas)
        for name, value in sorted(figures.items()):
            print(f"{name:45s} {value:10.2f}")
        print(f"load average at end: {_load():.2f}")
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
