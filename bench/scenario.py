"""Scenario figures: one scenario recompute (apply the assumptions, the deterministic figures in
the three counting modes with their funding plans, and a 10,000-draw Monte Carlo) at demo size
and at 10x the activities and contributions. Pure domain code: no database, no Streamlit.

`demo_inputs(scale)` builds the inputs from data/ (reference, staffing defaults, the 2026 demo
workplan used for every year of the cycle) and an illustrative pipeline made in code (about 30
contributions per scale unit, mixed statuses, currencies and earmarks)."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
DEMO_RATES = {"USD": "1", "EUR": "1.08", "GBP": "1.27", "SEK": "0.095", "NOK": "0.093"}
DEFAULTS = {"hard": Decimal(100), "soft": Decimal(70), "prospect": Decimal(30)}
DONORS = [("AUT", "EUR"), ("EU", "EUR"), ("FRA", "EUR"), ("DEU", "EUR"), ("ITA", "EUR"),
          ("NOR", "NOK"), ("ROU", "EUR"), ("SWE", "SEK"), ("GBR", "GBP"), ("USA", "USD"),
          ("TUR", "USD"), ("LCIF", "USD")]  # fmt: skip
GLOBAL_PROGRAMMES = {"GLOZ82": ("3",), "GLOT32": ("2",), "GPTOC": ("2",)}


def _activities(ref, years: tuple[int, ...], scale: int) -> dict:  # noqa: ANN001
    from rpsee.domain.workplan_rules import Codebook, parse_row
    from rpsee.services.demo import demo_rows

    year, rows = demo_rows()
    book = Codebook.for_year(ref, year)
    base = []
    for i, (label, raw) in enumerate(rows):
        activity, errors = parse_row(raw, label, book)
        if errors or activity is None:
            raise RuntimeError(f"demo workplan: {errors}")
        base.append(replace(activity, code=f"{activity.output_code}.{i:03d}"))
    return {y: tuple(replace(a, code=f"{a.code}.{y}.{k}") for k in range(scale) for a in base)
            for y in years}  # fmt: skip


def _contributions(ref, years: tuple[int, ...], scale: int) -> tuple:  # noqa: ANN001
    from rpsee.domain.pipeline import Contribution, Earmark

    rng = random.Random(20240701)
    outputs = [o.code for o in ref.outputs]
    areas = [a.code for a in ref.areas]
    jurisdictions = [j.code for j in ref.jurisdictions]
    out = []
    for k in range(30 * scale):
        donor, currency = DONORS[k % len(DONORS)]
        status = ("hard", "hard", "soft", "prospect")[k % 4]
        first = years[0] if status == "hard" else rng.choice(years[1:])
        span = [y for y in years if first <= y < first + rng.randint(1, 4)]
        unit = Decimal(DEMO_RATES[currency])
        per_year = Decimal(rng.randrange(150_000, 900_000)) / scale / unit
        kind = rng.choice(("none", "none", "area", "area", "output", "jurisdiction",
                           "global_programme"))  # fmt: skip
        code = {"none": None, "area": rng.choice(areas), "output": rng.choice(outputs),
                "jurisdiction": rng.choice(jurisdictions),
                "global_programme": rng.choice(sorted(GLOBAL_PROGRAMMES))}[kind]  # fmt: skip
        out.append(Contribution(
            k + 1, donor, f"{donor}-{k + 1:04d}", currency,
            {y: per_year.quantize(Decimal("0.01")) for y in span}, status, Earmark(kind, code),
            support_rate=Decimal(7) if donor == "EU" else Decimal(13)))  # fmt: skip
    return tuple(out)


def demo_inputs(scale: int = 1):  # noqa: ANN201
    """The scenario inputs at `scale` times the demo's activities and contributions."""
    import yaml

    from rpsee.domain.pipeline import ExchangeRate
    from rpsee.domain.requirement import EnvelopeSettings
    from rpsee.domain.scenario import Inputs
    from rpsee.domain.staffing import CostRates, PositionPlan
    from rpsee.store.data_files import load_reference

    ref = load_reference(ROOT / "data")
    years = ref.figures.cycle_years
    staffing = yaml.safe_load((ROOT / "data" / "staffing.yaml").read_text(encoding="utf-8"))
    envelope = yaml.safe_load((ROOT / "data" / "envelope.yaml").read_text(encoding="utf-8"))
    rates = CostRates(
        int(staffing["rates_base_year"]), Decimal(str(staffing["escalation_percent"])),
        {(r["grade"], r["duty_station"]): Decimal(str(r["annual_usd"]))
         for r in staffing["standard_costs"]},
        {int(y): Decimal(str(v)) for y, v in staffing["vacancy_percent"].items()},
    )  # fmt: skip
    plans = []
    for p in ref.positions:
        d = staffing["positions"].get(p.id) or {}
        plans.append(PositionPlan(
            p.id, p.title, str(d.get("grade") or p.grade), p.category,
            d.get("duty_station") or p.duty_station, p.is_new,
            str(d.get("start") or ref.figures.staff_requirement_start),
            str(d.get("end") or ref.figures.staff_requirement_end),
            {str(k): Decimal(str(v)) for k, v in (d.get("split") or {}).items()}))  # fmt: skip
    settings = EnvelopeSettings(
        {int(y): Decimal(str(v)) for y, v in envelope["envelope_usd"].items()}, "gross",
        ref.figures.programme_support_rate_percent, [])  # fmt: skip
    fx = {c: ExchangeRate(c, Decimal(v), date(2024, 7, 1)) for c, v in DEMO_RATES.items()}
    return Inputs(years, ref, settings, _activities(ref, years, scale), tuple(plans), rates,
                  (ref.figures.cycle_start, ref.figures.cycle_end),
                  _contributions(ref, years, scale), fx, DEFAULTS,
                  gp_areas=GLOBAL_PROGRAMMES)  # fmt: skip


def recompute(inputs, scenario, draws: int = 10_000):  # noqa: ANN001, ANN201
    """One scenario recompute: apply, deterministic figures (three modes), Monte Carlo."""
    from rpsee.domain.montecarlo import simulate
    from rpsee.domain.scenario import apply
    from rpsee.domain.scenario_figures import evaluate

    fig = evaluate(apply(inputs, scenario))
    mc = simulate(fig.needs, fig.tranches, draws, seed=1, correlation=0.3,
                  gp_areas=fig.inputs.gp_areas)  # fmt: skip
    return fig, mc


def _median_ms(inputs, scenario, runs: int = RUNS) -> tuple[float, float]:  # noqa: ANN001
    """Median wall-clock and median CPU time (this process, all threads) of a recompute, in
    ms: on a shared machine the CPU time shows the work apart from waiting for a core."""
    recompute(inputs, scenario)  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        recompute(inputs, scenario)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def bench_scenario(work: Path | None = None) -> dict[str, float]:
    """`scenario_recompute_ms_median_1x` and `_10x`: a scenario with a donor delay and an
    exchange-rate shock (a position deferral would re-cost staff: see `..._defer`)."""
    from rpsee.domain.scenario import Scenario

    shock = Scenario("Bench", delays={"SWE": 1}, fx_shocks={"EUR": Decimal(-5)},
                     probability={"3": Decimal(50)})  # fmt: skip
    defer = Scenario("Bench defer", defer_new_months=6)
    one, ten = demo_inputs(1), demo_inputs(10)
    one = replace(one, costing=one.staff_costing())
    ten = replace(ten, costing=ten.staff_costing())
    figures = {}
    for name, inputs, scenario, runs in (("1x", one, shock, RUNS), ("10x", ten, shock, 5),
                                         ("defer_1x", one, defer, RUNS)):  # fmt: skip
        wall, cpu = _median_ms(inputs, scenario, runs)
        prefix = "scenario_recompute_defer" if name == "defer_1x" else "scenario_recompute"
        size = "1x" if name == "defer_1x" else name
        figures[f"{prefix}_ms_median_{size}"] = wall
        figures[f"{prefix}_cpu_ms_median_{size}"] = cpu
    return figures


if __name__ == "__main__":
    for name, value in bench_scenario().items():
        print(f"{name:45s} {value:10.1f}")
