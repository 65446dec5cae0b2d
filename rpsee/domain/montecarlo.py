"""Monte Carlo of which contributions materialise: funding percentiles per year and the chance of
covering the whole requirement and the staff costs, honouring earmarks.

Draw model: a contribution materialises whole (all its tranches) or not at all, with its
probability p. With a donor correlation rho (0 <= rho <= 1), each draw gives the donor a common
factor Z and each of its contributions its own E (independent standard normals); a contribution
materialises when sqrt(rho) Z + sqrt(1 - rho) E < Phi^-1(p). So each keeps its own probability,
and a donor's contributions tend to come or fail together (rho = 0: independent; 1: all
together, the likelier ones whenever the less likely ones come). Draws are seeded (numpy's
PCG64) and reproducible.

Funding per year (P10/P50/P90, mean) is the gross USD that materialises, whatever its earmark.

Coverage honours earmarks. In a draw, a year is covered when every need can be paid by money
allowed to pay it (a flow saturating every need). The earmark groups of the year form a tree:
each group's parent is the smallest group covering all it covers (unearmarked money at the
root); each need is homed at the smallest group covering it and paid, in this computation, only
by its home and the home's ancestors. Deficits pass up the tree (a group pays its own needs and
its children's deficits; what it cannot pay goes up), vectorised over draws. This greedy is
optimal on a tree. When the earmarks nest (none > area > output, a Global Programme within one
area; the staff question always, since positions can only be paid by unearmarked or area
money) the tree allows exactly what the earmarks allow and the result is exact (`exact`). When
earmarks cross (a jurisdiction earmark, or a Global Programme over several areas, next to area
or output earmarks) some needs lose a payer: the probabilities are then lower bounds.

The staff question asks whether the staff costs can be covered if positions have first call on
the money allowed to pay them (activities do not compete)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.special import ndtri

from rpsee.domain.funding_plan import GpAreas, direct_capacity, matching
from rpsee.domain.pipeline import Earmark, Tranche
from rpsee.domain.requirement import Need

DRAWS = 10_000


@dataclass(frozen=True)
class MonteCarlo:
    draws: int
    seed: int
    correlation: float | Mapping[str, float]  # as given: one for all donors, or by donor
    years: tuple[int, ...]
    p10: dict[int, int]  # cents of gross funding that materialise, per year
    p50: dict[int, int]
    p90: dict[int, int]
    mean: dict[int, int]
    cover: dict[int, float]  # chance the year's whole requirement is covered
    cover_all: float  # every year covered in the same draw
    staff: dict[int, float]  # chance the year's staff costs are covered
    staff_all: float
    exact: bool  # False: the cover figures are lower bounds (crossing earmarks)


def _contributions(tranches: Sequence[Tranche]) -> list[tuple]:
    return sorted({(t.contribution_id or 0, t.donor, t.reference) for t in tranches},
                  key=lambda c: (c[1], c[2], c[0]))  # fmt: skip


def materialised(tranches: Sequence[Tranche], draws: int = DRAWS, seed: int = 0,
                 correlation: float | Mapping[str, float] = 0.0) -> np.ndarray:  # fmt: skip
    """A draws x contributions boolean matrix (contributions in `_contributions` order)."""
    contribs = _contributions(tranches)
    p = {(t.contribution_id or 0, t.donor, t.reference): float(t.probability) / 100
         for t in tranches}  # fmt: skip
    probs = np.array([p[c] for c in contribs])
    rng = np.random.Generator(np.random.PCG64(seed))
    donors = sorted({c[1] for c in contribs})
    rho = np.array([correlation.get(c[1], 0.0) if isinstance(correlation, Mapping)
                    else correlation for c in contribs], dtype=float)  # fmt: skip
    if np.any((rho < 0) | (rho > 1)):
        raise ValueError("Correlation: use a value from 0 to 1")
    out = np.zeros((draws, len(contribs)), dtype=bool)
    out[:, probs >= 1] = True
    unsure = np.flatnonzero((probs > 0) & (probs < 1))  # only these need random numbers
    if unsure.size:
        f32 = np.float32
        latent = rng.standard_normal((draws, unsure.size), dtype=f32)
        r = rho[unsure]
        if np.any(r > 0):
            common = rng.standard_normal((draws, len(donors)), dtype=f32)
            column = np.array([donors.index(contribs[i][1]) for i in unsure], dtype=int)
            latent *= np.sqrt(1 - r).astype(f32)
            latent += np.sqrt(r).astype(f32) * common[:, column]
        out[:, unsure] = latent < ndtri(probs[unsure]).astype(f32)
    return out


def _tree(needs: Sequence[Need], earmarks: list[Earmark], gp_areas: GpAreas | None
          ) -> tuple[list[int], list[int], bool]:  # fmt: skip
    """Parents of the groups (-1: the root), each need's home (-1: the root), and whether the
    tree allows exactly what the earmarks allow."""
    sigs = matching(needs, earmarks, gp_areas)
    distinct = sorted(set(sigs))  # needs matched alike are alike here: sets of these, as bits
    sets = [sum(1 << k for k, sig in enumerate(distinct) if g in sig)
            for g in range(len(earmarks))]  # fmt: skip
    size = [m.bit_count() for m in sets]
    parent = []
    for g, m in enumerate(sets):
        above = [f for f, t in enumerate(sets)
                 if f != g and m & ~t == 0 and (m != t or f < g)]  # fmt: skip
        parent.append(min(above, key=lambda f: (size[f], f)) if above else -1)
    homes: dict[tuple[int, ...], int] = {}
    exact = True
    for mine in distinct:
        h = min(mine, key=lambda g: (size[g], -g)) if mine else -1
        chain, g = set(), h
        while g != -1:
            chain.add(g)
            g = parent[g]
        exact = exact and chain == set(mine)
        homes[mine] = h
    return parent, [homes[sig] for sig in sigs], exact


def _covered(supply: np.ndarray, parent: list[int], own: list[int]) -> np.ndarray:
    """Per draw, whether the tree's money pays every need (deficits passed up to the root)."""
    n_groups = supply.shape[1]
    depth = []
    for g in range(n_groups):
        d, f = 0, g
        while parent[f] != -1:
            d, f = d + 1, parent[f]
        depth.append(d)
    passed = np.zeros((supply.shape[0], n_groups + 1))  # last column: the root
    for g in sorted(range(n_groups), key=lambda g: -depth[g]):
        deficit = np.maximum(0.0, own[g] + passed[:, g] - supply[:, g])
        passed[:, parent[g]] += deficit  # parent -1 is the root column
    return (passed[:, -1] + own[-1]) <= 0


def simulate(needs: Sequence[Need], tranches: Sequence[Tranche], draws: int = DRAWS,
             seed: int = 0, correlation: float | Mapping[str, float] = 0.0,
             gp_areas: GpAreas | None = None) -> MonteCarlo:  # fmt: skip
    """The Monte Carlo of `tranches` (all statuses, each by its probability) against `needs`."""
    contribs = _contributions(tranches)
    index = {c: i for i, c in enumerate(contribs)}
    years = tuple(sorted({n.year for n in needs} | {t.year for t in tranches}))
    # One matrix of every column needed: per year its gross money, then its earmark groups'
    # direct capacities; one product with the draws gives them all.
    columns: list[np.ndarray] = []
    plan: dict[int, tuple] = {}
    exact = True
    for y in years:
        mine = [t for t in tranches if t.year == y]
        gross = np.zeros(len(contribs))
        earmarks = sorted({t.earmark for t in mine}, key=lambda e: (e.kind, e.code or ""))
        group = {e: g for g, e in enumerate(earmarks)}
        capacity = np.zeros((len(contribs), len(earmarks)))
        for t in mine:
            row, cents = index[(t.contribution_id or 0, t.donor, t.reference)], int(t.usd * 100)
            gross[row] += cents
            capacity[row, group[t.earmark]] += direct_capacity(cents, t.support_rate)
        start = len(columns)
        columns.append(gross)
        columns.extend(capacity.T)
        year_needs = [n for n in needs if n.year == y]
        parent, home, tree_exact = _tree(year_needs, earmarks, gp_areas)
        exact = exact and (tree_exact or not year_needs)
        whole = [0] * (len(earmarks) + 1)
        positions = [0] * (len(earmarks) + 1)
        for n, h in zip(year_needs, home, strict=True):
            whole[h] += n.cents
            if n.kind == "position":
                positions[h] += n.cents
        plan[y] = (start, len(earmarks), parent, whole, positions, bool(year_needs))
    hit = materialised(tranches, draws, seed, correlation)
    weights = np.column_stack(columns) if columns else np.zeros((len(contribs), 0))
    # Sparse product (few contributions per column), exact: integers below 2**53 in float64.
    result = np.asarray((sparse.csc_matrix(weights).T @ hit.T.astype(float)).T)
    money = result[:, [plan[y][0] for y in years]]
    q = np.percentile(money, [10, 50, 90], axis=0) if years else np.zeros((3, 0))
    p10, p50, p90, mean, cover, staff = {}, {}, {}, {}, {}, {}
    all_cover = np.ones(draws, dtype=bool)
    all_staff = np.ones(draws, dtype=bool)
    for k, y in enumerate(years):
        start, groups, parent, whole, positions, has_needs = plan[y]
        p10[y], p50[y], p90[y] = (int(round(float(v))) for v in q[:, k])
        mean[y] = int(round(float(money[:, k].mean())))
        if not has_needs:
            continue
        supply = result[:, start + 1:start + 1 + groups]
        ok, ok_staff = _covered(supply, parent, whole), _covered(supply, parent, positions)
        cover[y], staff[y] = float(ok.mean()), float(ok_staff.mean())
        all_cover &= ok
        all_staff &= ok_staff
    return MonteCarlo(draws, seed, correlation, years, p10, p50, p90, mean, cover,
                      float(all_cover.mean()), staff, float(all_staff.mean()), exact)  # fmt: skip
