"""The funding plan: which needs (activities, positions) each tranche funds, honouring earmarks
and tranche years, priorities first, exact to the cent.

Money counted in a mode (`hard`: signed only; `hard_soft`: signed and pledged; `weighted`: every
tranche times its probability) pays direct costs plus the support costs of its own rate, so a
tranche of gross G at rate r can fund G / (1 + r) of direct costs (to the cent, rounded down).

What an earmark covers (`covers`): none covers any need; an area earmark the activities and the
position costs charged to that area; an output earmark the activities of that output; a
jurisdiction earmark the activities held in that jurisdiction (positions are not in one);
a Global Programme earmark the activities (not the programme's positions: a Global Programme
pays its own staff) of the thematic areas or outputs the programme serves (`gp_areas`: code ->
area codes such as "3" and output codes such as "2.6", from `global_programme_serves` in
data/pipeline.yaml), and nothing when none are given for it (an earmark that cannot be
honoured is not spent: the money shows as unused).

The plan maximises, year by year (a tranche funds only needs of its own year), the funded amount
of the essential needs, then, without funding less of them, of the high ones, then medium,
then low: a maximum flow from tranches to needs, tier by tier, continued by augmenting paths so
that a tier's funded amount never decreases. Tranches with the same earmark, and needs of the
same tier that the same earmarks cover, are interchangeable: the flow runs on these groups
(a few dozen nodes at any size), in integers, then is spread over the members in a fixed order
(tranches: hard, soft, prospect, then donor and reference; needs: the donor a workplan line
names as its funding source pays it first, then the rest by key). So results are exact and
reproducible."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from rpsee.domain.pipeline import STATUSES, Earmark, Tranche
from rpsee.domain.requirement import Need
from rpsee.domain.workplan import PRIORITIES

MODES = ("hard", "hard_soft", "weighted")
MODE_LABELS = {
    "hard": "Hard only",
    "hard_soft": "Hard + soft",
    "weighted": "Probability-weighted",
}
SCENARIO_MODE = "hard_soft"  # the exports count frozen scenarios so (the scenario pages' default)
HUNDRED = Decimal(100)
GpAreas = Mapping[str, Sequence[str]]


def counted_cents(t: Tranche, mode: str) -> int:
    """A tranche's USD as counted in `mode`, in cents (weighted: rounded half up)."""
    if mode not in MODES:
        raise ValueError(f"Counting mode: {mode!r}: use one of {', '.join(MODES)}")
    cents = int(t.usd * 100)
    if mode == "hard":
        return cents if t.status == "hard" else 0
    if mode == "hard_soft":
        return cents if t.status in ("hard", "soft") else 0
    return int((Decimal(cents) * t.probability / HUNDRED).to_integral_value(ROUND_HALF_UP))


def direct_capacity(gross_cents: int, rate: Decimal) -> int:
    """The direct costs (cents, rounded down) a gross amount pays once its support costs at
    `rate` percent are charged: d + round(d * rate) never exceeds the gross."""
    value = Decimal(gross_cents) * HUNDRED / (HUNDRED + rate)
    return int(value.to_integral_value(ROUND_FLOOR))


def covers(earmark: Earmark, need: Need, gp_areas: GpAreas | None = None) -> bool:
    """Whether money with `earmark` may pay for `need` (see the module's rules)."""
    kind, code = earmark.kind, earmark.code
    if kind == "none":
        return True
    if kind == "area":
        return need.area == code
    if need.kind != "activity":
        return False
    if kind == "output":
        return need.output == code
    if kind == "jurisdiction":
        return code in need.jurisdictions
    return serves((gp_areas or {}).get(code or "") or (), need)


def serves(codes: Iterable[str], need: Need) -> bool:
    """Whether a Global Programme serving `codes` (thematic areas or outputs) may pay `need`:
    an activity of one of those areas or outputs (never a position)."""
    wanted = set(codes)
    return need.kind == "activity" and (need.area in wanted or need.output in wanted)


def check_serves(gp_areas: GpAreas, programmes: Iterable[str], areas: Iterable[str],
                 outputs: Iterable[str]) -> list[str]:  # fmt: skip
    """What is wrong with the Global Programmes' mapping: a programme without one, a code that
    is neither a thematic area nor an output, a mapping for an unknown programme."""
    known, names = set(areas) | set(outputs), list(programmes)
    problems = [f"Global Programme {p}: no thematic area or output given" for p in names
                if not gp_areas.get(p)]  # fmt: skip
    problems += [f"Global Programme {p}: {c!r} is not a thematic area or output"
                 for p, codes in gp_areas.items() for c in codes if c not in known]  # fmt: skip
    problems += [f"Global Programme {p}: not a known Global Programme"
                 for p in gp_areas if p not in set(names)]  # fmt: skip
    return problems


def matching(needs: Sequence[Need], earmarks: Sequence[Earmark],
             gp_areas: GpAreas | None = None) -> list[tuple[int, ...]]:  # fmt: skip
    """For each need, the indexes of the `earmarks` that cover it (as `covers`, by lookup)."""
    none: list[int] = []
    programmes: list[tuple[int, frozenset[str]]] = []
    by_code: dict[tuple[str, str | None], list[int]] = {}
    for i, e in enumerate(earmarks):
        if e.kind == "none":
            none.append(i)
        elif e.kind == "global_programme":
            programmes.append((i, tuple((gp_areas or {}).get(e.code or "") or ())))
        else:
            by_code.setdefault((e.kind, e.code), []).append(i)
    seen: dict[tuple, tuple[int, ...]] = {}  # needs alike in these fields match alike
    out = []
    for n in needs:
        profile = (n.kind, n.area, n.output, n.jurisdictions)
        sig = seen.get(profile)
        if sig is None:
            found = none + by_code.get(("area", n.area), [])
            if n.kind == "activity":
                found = found + by_code.get(("output", n.output), [])
                for j in n.jurisdictions:
                    found = found + by_code.get(("jurisdiction", j), [])
                found = found + [i for i, codes in programmes if serves(codes, n)]
            sig = seen[profile] = tuple(sorted(set(found)))
        out.append(sig)
    return out


@dataclass(frozen=True)
class Supply:
    """One tranche as counted in a mode: gross USD counted and the direct costs it can pay."""

    index: int  # position in the tranche list given to `solve`
    tranche: Tranche
    gross_cents: int
    direct_cents: int

    @property
    def rate(self) -> Decimal:
        return self.tranche.support_rate


@dataclass(frozen=True)
class Allocation:
    """Direct costs of one need paid by one tranche."""

    supply: int  # Supply.index
    need: str  # Need.key
    cents: int


@dataclass(frozen=True)
class Shortfall:
    """A need not fully funded: what it costs, what is funded, what is missing."""

    need: Need
    funded_cents: int

    @property
    def missing_cents(self) -> int:
        return self.need.cents - self.funded_cents

    @property
    def status(self) -> str:
        return "unfunded" if self.funded_cents == 0 else "partly funded"


@dataclass(frozen=True)
class FundingPlan:
    mode: str
    needs: tuple[Need, ...]
    supplies: tuple[Supply, ...]
    allocations: tuple[Allocation, ...]
    funded: Mapping[str, int] = field(default_factory=dict)  # need key -> direct cents funded
    spent: Mapping[int, int] = field(default_factory=dict)  # supply index -> direct cents paid

    def shortfalls(self) -> list[Shortfall]:
        """What stays unfunded or partly funded (what the gap means), priorities first."""
        short = [Shortfall(n, self.funded.get(n.key, 0)) for n in self.needs
                 if self.funded.get(n.key, 0) < n.cents]  # fmt: skip
        return sorted(short, key=lambda s: (s.need.year, s.need.tier, s.need.key))

    def funded_by_tier(self, year: int) -> dict[str, int]:
        """Direct cents funded per priority in a year."""
        out = dict.fromkeys(PRIORITIES, 0)
        for n in self.needs:
            if n.year == year:
                out[n.priority] += self.funded.get(n.key, 0)
        return out

    def unused_direct(self, index: int) -> int:
        """Direct costs a tranche could still pay (money its earmark leaves unused)."""
        return self.supplies[index].direct_cents - self.spent.get(index, 0)

    def by_contribution(self) -> dict[tuple[str, str], int]:
        """Direct cents paid by each (donor, reference)."""
        out: dict[tuple[str, str], int] = {}
        for a in self.allocations:
            t = self.supplies[a.supply].tranche
            out[(t.donor, t.reference)] = out.get((t.donor, t.reference), 0) + a.cents
        return out


def supplies(tranches: Sequence[Tranche], mode: str) -> list[Supply]:
    """Every tranche as counted in `mode` (zero when the mode does not count it)."""
    out = []
    for i, t in enumerate(tranches):
        gross = counted_cents(t, mode)
        out.append(Supply(i, t, gross, direct_capacity(gross, t.support_rate)))
    return out


def _supply_order(s: Supply) -> tuple:
    t = s.tranche
    return (STATUSES.index(t.status), t.donor, t.reference, t.year, s.index)


def _earmark_order(e: Earmark) -> tuple[int, str]:
    kinds = ("none", "area", "output", "jurisdiction", "global_programme")
    return (kinds.index(e.kind), e.code or "")


class _Flow:
    """A small integer flow network with augmenting paths (breadth first, fixed order)."""

    def __init__(self, n: int) -> None:
        self.cap: list[dict[int, int]] = [{} for _ in range(n)]

    def add(self, u: int, v: int, c: int) -> None:
        self.cap[u][v] = self.cap[u].get(v, 0) + c
        self.cap[v].setdefault(u, 0)

    def push(self, path: Sequence[int], amount: int) -> None:
        for u, v in zip(path, path[1:]):  # noqa: B905 (pairs of one path)
            self.cap[u][v] -= amount
            self.cap[v][u] += amount

    def augment(self, s: int, t: int) -> int:
        """Push flow along shortest augmenting paths until none is left; returns the flow."""
        total = 0
        while True:
            parent = {s: s}
            queue = deque([s])
            while queue and t not in parent:
                u = queue.popleft()
                for v, c in self.cap[u].items():
                    if c > 0 and v not in parent:
                        parent[v] = u
                        queue.append(v)
            if t not in parent:
                return total
            path, v = [], t
            while v != s:
                path.append((parent[v], v))
                v = parent[v]
            push = min(self.cap[u][v] for u, v in path)
            for u, v in path:
                self.cap[u][v] -= push
                self.cap[v][u] += push
            total += push


def _solve_year(needs: list[Need], sups: list[Supply], gp_areas: GpAreas | None
                ) -> list[Allocation]:  # fmt: skip
    groups: dict[Earmark, list[Supply]] = {}
    for s in sorted(sups, key=_supply_order):
        if s.direct_cents > 0:
            groups.setdefault(s.tranche.earmark, []).append(s)
    earmarks = sorted(groups, key=_earmark_order)
    classes: dict[tuple[int, tuple[int, ...]], list[Need]] = {}
    ordered = sorted(needs, key=lambda n: n.key)
    for n, sig in zip(ordered, matching(ordered, earmarks, gp_areas), strict=True):
        if sig:
            classes.setdefault((n.tier, sig), []).append(n)
    if not classes:
        return []
    keys = sorted(classes)
    g, k = len(earmarks), len(keys)
    src, sink = 0, g + k + 1
    net = _Flow(g + k + 2)
    for i, e in enumerate(earmarks):
        net.add(src, 1 + i, sum(s.direct_cents for s in groups[e]))
    demand = {key: sum(n.cents for n in classes[key]) for key in keys}
    for j, key in enumerate(keys):
        for i in key[1]:
            net.add(1 + i, 1 + g + j, demand[key])
    for tier in range(len(PRIORITIES)):
        for j, key in enumerate(keys):
            if key[0] == tier:
                net.add(1 + g + j, sink, demand[key])
                # A first, greedy fill (the most specific money first), which the augmenting
                # paths then complete to a maximum: fewer paths, the same optimum.
                for i in sorted(key[1], key=lambda i: (-_earmark_order(earmarks[i])[0], i)):
                    node = 1 + g + j
                    amount = min(net.cap[src][1 + i], net.cap[node][sink])
                    if amount > 0:
                        net.push((src, 1 + i, node, sink), amount)
        net.augment(src, sink)
    return _spread(earmarks, groups, keys, classes, net, g)


def _spread(earmarks: list[Earmark], groups: dict[Earmark, list[Supply]],
            keys: list[tuple[int, tuple[int, ...]]], classes: dict, net: _Flow, g: int
            ) -> list[Allocation]:  # fmt: skip
    """Turn group-to-class flows into tranche-to-need allocations (members in fixed order)."""
    pieces: dict[int, list[tuple[Supply, int]]] = {j: [] for j in range(len(keys))}
    for i, e in enumerate(earmarks):
        members = iter(groups[e])
        current, left = None, 0
        for j, key in enumerate(keys):
            if i not in key[1]:
                continue
            flow = net.cap[1 + g + j].get(1 + i, 0)  # the reverse edge holds the flow
            while flow > 0:
                if left == 0:
                    current = next(members)
                    left = current.direct_cents
                take = min(flow, left)
                pieces[j].append((current, take))
                flow, left = flow - take, left - take
    out: dict[tuple[int, str], int] = {}
    for j, key in enumerate(keys):
        _fill(classes[key], pieces[j], out)
    return [Allocation(s, n, c) for (s, n), c in out.items()]


def _fill(needs: list[Need], pieces: list[tuple[Supply, int]], out: dict[tuple[int, str], int]
          ) -> None:  # fmt: skip
    """Spread one class's money over its needs (all interchangeable for the optimum): first a
    need's own funding source (the donor its workplan line names) pays it, then the rest pays
    the needs in key order. Adds to `out` ((supply index, need key) -> cents)."""
    left = [amount for _s, amount in pieces]
    room = {n.key: n.cents for n in needs}

    def take(p: int, n: Need) -> None:
        amount = min(left[p], room[n.key])
        if amount > 0:
            cell = (pieces[p][0].index, n.key)
            out[cell] = out.get(cell, 0) + amount
            left[p] -= amount
            room[n.key] -= amount

    by_donor: dict[str, list[int]] = {}
    for p, (sup, _amount) in enumerate(pieces):
        by_donor.setdefault(sup.tranche.donor, []).append(p)
    for n in needs:
        for p in by_donor.get(n.funding_source or "", ()):
            take(p, n)
    p = 0
    for n in needs:
        while room[n.key] > 0 and p < len(pieces):
            take(p, n)
            if left[p] == 0:
                p += 1


def solve(needs: Iterable[Need], tranches: Sequence[Tranche], mode: str,
          gp_areas: GpAreas | None = None) -> FundingPlan:  # fmt: skip
    """The funding plan of `needs` by `tranches` counted in `mode` (see the module's rules)."""
    needs = tuple(needs)
    sups = supplies(tranches, mode)
    allocations: list[Allocation] = []
    for year in sorted({n.year for n in needs}):
        allocations += _solve_year([n for n in needs if n.year == year],
                                   [s for s in sups if s.tranche.year == year], gp_areas)
    allocations.sort(key=lambda a: (a.need, a.supply))
    funded: dict[str, int] = {}
    spent: dict[int, int] = {}
    for a in allocations:
        funded[a.need] = funded.get(a.need, 0) + a.cents
        spent[a.supply] = spent.get(a.supply, 0) + a.cents
    return FundingPlan(mode, needs, tuple(sups), tuple(allocations), funded, spent)

