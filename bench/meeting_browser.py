"""Meeting mode in headless Chromium: from a control's change to the chart redrawn.

`meeting_control_browser_ms_median`: the demo planner in meeting mode (demo data, the "Coverage
by year" chart) changes one control at a time (the exchange-rate shock, its currency, a donor out,
a donor delayed, the delay, the probability cut-off), each change a scenario never computed
before in the server (so a recompute: figures, funding plans, 10,000 Monte Carlo draws, not the
cache), by keyboard on a slider or a click on a select box's option. Timed from the key press or
click to: the run ended (`data-test-script-state='notRunning'`), the gap figure showing the new
gap, and the chart's data (funded and gap per year, read from the Plotly element) equal to the
service's new figures, then one frame painted. The expected figures are computed beforehand with
the service on the server's database; consecutive changes must differ, so a stale chart can never
pass. Median of the changes after the first (warm-up) ones.

`meeting_control_browser_cached_ms_median`: the "Count" radio switched between hard only and
hard + soft (the scenario's result comes from the cache: a redraw, not a recompute).
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bench.pages_browser import _DONE as PAGE_DONE
from bench.pages_browser import _log_in, _serve_and_measure
from bench.run import BenchmarkError

USER = "demo.planner"
WARMUP = 2
# (control, value): a slider is moved by one key ("+" one step right, "-" one step left, "end" to
# its maximum, "home" to its minimum); a select box or the radio gets the option named. Every
# state reached is new, and each one's gap differs from the one before (checked beforehand).
# Before the first change, untimed: the shock's currency set to SEK (at shock 0 a scenario
# equal to the one the page opens on). An EUR shock moves no cycle gap in the demo (the EU's EUR
# is earmarked and more than its needs, Germany's pays GPML only), so the shocks start on SEK.
SETUP: list[tuple[str, str]] = [("currency", "SEK")]
CHANGES: list[tuple[str, str]] = [
    ("shock", "+"), ("shock", "+"),  # warm-up: SEK +5%, +10%
    ("out", "EU"), ("shock", "+"), ("late", "SWE"), ("years", "+"), ("out", "USA"),
    ("currency", "GBP"), ("shock", "+"), ("late", "GBR"), ("out", "DEU"), ("currency", "SEK"),
    ("shock", "+"), ("cutoff", "end"), ("out", "LCIF"), ("cutoff", "home"), ("shock", "+"),
    ("late", "NOR"),
]  # fmt: skip
CACHED_ROUNDS = 11  # radio switches, the first one not counted
LABELS = {"shock": "Exchange-rate shock %", "cutoff": "Probability cut-off %",
          "years": "Delay (years)", "out": "Donor out", "late": "Donor delayed",
          "currency": "Currency", "mode": "Count"}  # fmt: skip
STEPS = {"shock": (-30, 30, 5), "cutoff": (0, 100, 5), "years": (0, 3, 1)}
MODES = {"hard": "Hard only", "hard_soft": "Hard + soft"}
NONE = "—"

_DONE = """([gap, funded, short]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  const main = document.querySelector("[data-testid='stMain']");
  if (main.querySelector("[data-testid='stException']")) return true;  // reported after
  const m = main.querySelectorAll("[data-testid='stMetricValue']");
  if (m.length < 3 || m[1].innerText.trim() !== gap) return false;
  const gd = main.querySelector(".js-plotly-plot");
  if (!gd || !gd.data || gd.data.length < 2) return false;
  const same = (ys, want) => ys && ys.length === want.length
    && Array.from(ys).every((y, i) => Math.abs(y - want[i]) < 1e-9);
  return same(gd.data[0].y, funded) && same(gd.data[1].y, short);
}"""
_PAINTED = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"


@dataclass
class State:
    """The meeting-mode controls as the planner set them."""

    mode: str = "hard_soft"
    cutoff: int = 0
    out: str = NONE
    late: str = NONE
    years: int = 1
    currency: str = "SEK"  # after SETUP
    shock: int = 0

    def key(self) -> tuple:
        return (self.mode, self.cutoff, self.out, self.late, self.years if self.late != NONE
                else 0, self.currency if self.shock else "", self.shock)  # fmt: skip

    def scenario(self):  # noqa: ANN201
        """The scenario pages/meeting.py builds from these controls (start: the baseline)."""
        from rpsee.domain.scenario import Scenario

        return Scenario("Meeting", dropped_donors=() if self.out == NONE else (self.out,),
                        probability_cutoff=Decimal(self.cutoff),
                        delays={self.late: self.years} if self.late != NONE and self.years
                        else {}, fx_shocks={self.currency: self.shock} if self.shock else {})
        # fmt: skip


def _apply(state: State, control: str, value: str) -> State:
    s = State(**vars(state))
    if control in STEPS:
        low, high, step = STEPS[control]
        now = getattr(s, control)
        new = {"+": now + step, "-": now - step, "end": high, "home": low}[value]
        setattr(s, control, max(low, min(high, new)))
    else:
        setattr(s, control, value)
    return s


@dataclass
class Expected:
    gap: str  # the gap figure as shown
    funded: list[float]  # the chart's data per year (USD million)
    short: list[float]


def _expected(states: list[State], url: str) -> dict[tuple, Expected]:
    """The service's figures for each state, on the server's database."""
    from rpsee.domain.money import format_millions, from_cents
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.services import scenarios

    planner = CurrentUser(USER, "Planner", Role.PLANNER)
    out: dict[tuple, Expected] = {}
    for st in states:
        if st.key() in out:
            continue
        r = scenarios.evaluate(planner, st.scenario(), url=url)
        fy = [r.funding[st.mode][y].total for y in r.years]
        gap = sum(f.requirement_cents - f.funded_cents for f in fy)
        out[st.key()] = Expected(format_millions(from_cents(gap)),
                                 [f.funded_cents / 1e8 for f in fy],
                                 [(f.requirement_cents - f.funded_cents) / 1e8 for f in fy])
    return out


def _donor_names() -> dict[str, str]:
    """Donor code -> the name meeting mode shows (data/donors.yaml)."""
    import yaml

    from rpsee import config

    data = yaml.safe_load((config.DATA_DIR / "donors.yaml").read_text(encoding="utf-8"))
    return {d["code"]: d["name"] for d in data["donors"]}


def _act(page, control: str, value: str) -> float:  # noqa: ANN001
    """Make one change; the time it was made (perf_counter)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    label = LABELS[control]
    if control in STEPS:
        thumb = page.get_by_role("slider", name=label)
        thumb.focus()
        key = {"+": "ArrowRight", "-": "ArrowLeft", "end": "End", "home": "Home"}[value]
        start = time.perf_counter()
        thumb.press(key)
        return start
    if control == "mode":
        option = page.get_by_test_id("stRadio").filter(has_text=label).get_by_text(
            MODES[value], exact=True)  # fmt: skip
        start = time.perf_counter()
        option.click()
        return start
    box = page.get_by_label(label)
    box.scroll_into_view_if_needed()
    box.click()
    shown = _donor_names().get(value, value) if control in ("out", "late") else value
    option = page.get_by_role("option", name=shown, exact=True)  # donors by name
    try:
        option.wait_for(timeout=3000)
    except PlaywrightTimeoutError:  # the click only focused the box (seen at the viewport's
        box.press("ArrowDown")  # bottom edge): the keyboard opens its list
        option.wait_for()
    start = time.perf_counter()
    option.click()
    return start


def _change_ms(page, control: str, value: str, want: Expected) -> float:  # noqa: ANN001
    start = _act(page, control, value)
    page.wait_for_function(_DONE, arg=[want.gap, want.funded, want.short], polling="raf")
    page.evaluate(_PAINTED)
    elapsed = (time.perf_counter() - start) * 1000
    if page.locator("[data-testid='stException']").count():
        raise BenchmarkError(f"Meeting mode shows an exception after {control} = {value}")
    page.wait_for_timeout(300)  # a person's pace: late messages land before the next change
    return elapsed


def _plan() -> tuple[list[State], list[State]]:
    """The states the fresh changes reach, then those of the radio switches."""
    states, s = [], State()
    for control, value in CHANGES:
        s = _apply(s, control, value)
        states.append(s)
    keys = [State().key()] + [x.key() for x in states]
    if len(set(keys)) != len(keys):
        raise BenchmarkError("CHANGES reaches a state twice: that change would be a cache hit")
    radio = [_apply(s, "mode", "hard" if i % 2 == 0 else "hard_soft")
             for i in range(CACHED_ROUNDS)]  # fmt: skip
    return states, radio


def _open_meeting(page, base: str) -> None:  # noqa: ANN001
    _log_in(page, base, USER)
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Meeting mode").first.click()
    page.wait_for_function(PAGE_DONE, arg=["Meeting mode"], polling="raf")
    page.locator("[data-testid='stMain'] .js-plotly-plot").wait_for()
    page.wait_for_timeout(500)


def _measure(page, base: str, state_dir: Path) -> dict[str, float]:  # noqa: ANN001
    url = f"sqlite:///{state_dir / 'rpsee.sqlite'}"
    page.set_default_timeout(30_000)
    _open_meeting(page, base)
    for control, value in SETUP:  # untimed; the scenario stays the one the page opened on
        _act(page, control, value)
        page.wait_for_function(PAGE_DONE, arg=["Meeting mode"], polling="raf")
        page.wait_for_timeout(500)
    states, radio = _plan()
    seq = [State(), *states, *radio]
    want = _expected(seq, url)
    for before, after in zip(seq, seq[1:]):  # noqa: B905
        if want[before.key()].gap == want[after.key()].gap:
            raise BenchmarkError(f"{before} and {after} show the same gap: "
                                 "that change would not be seen")  # fmt: skip
    fresh = [_change_ms(page, c, v, want[s.key()])
             for (c, v), s in zip(CHANGES, states, strict=True)]  # fmt: skip
    cached = [_change_ms(page, "mode", s.mode, want[s.key()]) for s in radio]
    return {"meeting_control_browser_ms_median": statistics.median(fresh[WARMUP:]),
            "meeting_control_browser_cached_ms_median": statistics.median(cached[1:])}


def bench_meeting_browser(work: Path) -> dict[str, float]:
    figures = _serve_and_measure(work, "meeting", None, _measure)
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(f"note: load average {load:.1f} on {os.cpu_count()} CPUs while measuring meeting "
              "mode in Chromium: the browser figures are a loaded machine's")
    return figures


if __name__ == "__main__":
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="rpsee-bench-meeting-browser-"))
    os.environ["RPSEE_STATE_DIR"] = str(work / "inprocess-state")
    try:
        for name, value in bench_meeting_browser(work).items():
            print(f"{name:45s} {value:10.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
