"""The programme's risk matrix as a likelihood × impact grid: each risk of the programme
document (`data/risks.yaml`) placed in the cell of its likelihood and impact, each cell rated
by the sum of its two levels (Low 1, Medium 2, High 3: a sum up to 3 is Low, 4–5 Medium, 6
High, which gives every risk of the document its own stated level). Pure: drawn by the pack's
PDF and HTML editions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rpsee.domain.reference import Risk
from rpsee.domain.tables import Column, Kind, Row, Table

LEVELS = ("L", "M", "H")  # lowest first
LEVEL_NAMES = {"L": "Low", "M": "Medium", "H": "High"}
TITLE = "Risk matrix: likelihood × impact"


def rating(likelihood: str, impact: str) -> str:
    """The level of a cell of the grid (see the module)."""
    score = LEVELS.index(likelihood) + LEVELS.index(impact) + 2
    return "L" if score <= 3 else "M" if score <= 5 else "H"


@dataclass(frozen=True)
class RiskGrid:
    """Rows are likelihoods, highest first (as the grid is read); columns impacts, lowest
    first. `cells[r][c]` holds the codes of the risks in that cell, `ratings[r][c]` its level."""

    title: str
    likelihoods: tuple[str, ...]
    impacts: tuple[str, ...]
    cells: tuple[tuple[tuple[str, ...], ...], ...]
    ratings: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()

    def placed(self) -> dict[str, tuple[str, str]]:
        """Each risk's code -> (likelihood, impact) of its cell."""
        return {code: (lk, im) for r, lk in enumerate(self.likelihoods)
                for c, im in enumerate(self.impacts) for code in self.cells[r][c]}  # fmt: skip


def grid(risks: Sequence[Risk], title: str = TITLE) -> RiskGrid:
    """Place `risks` in the grid (refused: a likelihood or impact not L, M or H)."""
    for r in risks:
        for what, value in (("likelihood", r.likelihood), ("impact", r.impact)):
            if value not in LEVELS:
                raise ValueError(f"Risk {r.code}: {what} {value!r} is not one of L, M, H")
    rows = tuple(reversed(LEVELS))
    cells = tuple(tuple(tuple(r.code for r in risks if r.likelihood == lk and r.impact == im)
                        for im in LEVELS) for lk in rows)  # fmt: skip
    ratings = tuple(tuple(rating(lk, im) for im in LEVELS) for lk in rows)
    notes = ["Rows: likelihood; columns: impact. Each cell gives its level (Low, Medium, "
             "High) in brackets, and in the PDF by its shade. Risks by code: see the table "
             "below."]
    differ = [r.code for r in risks if r.level in LEVELS and r.level != rating(r.likelihood,
                                                                              r.impact)]
    if differ:
        notes.append(f"The programme document rates {', '.join(differ)} at a level other than "
                     "its cell's; the table below gives the document's level.")
    return RiskGrid(title, rows, LEVELS, cells, ratings, tuple(notes))


def grid_table(g: RiskGrid) -> Table:
    """The grid as a table (the HTML edition's and a reader's text alternative): one row per
    likelihood, one column per impact, each cell the risks in it and the cell's level."""
    columns = (Column("Likelihood", Kind.TEXT),
               *(Column(f"Impact: {LEVEL_NAMES[i]}", Kind.TEXT) for i in g.impacts))
    body = tuple(Row((LEVEL_NAMES[lk], *(
        f"{', '.join(g.cells[r][c]) or 'none'} (level {LEVEL_NAMES[g.ratings[r][c]]})"
        for c in range(len(g.impacts))))) for r, lk in enumerate(g.likelihoods))  # fmt: skip
    return Table(g.title, columns, body, total=False, notes=g.notes)


def risks_table(risks: Sequence[Risk]) -> Table:
    """The document's risk matrix, one row per risk with its code (the grid's key)."""
    names = ("Code", "Risk", "Likelihood", "Impact", "Level", "Mitigation", "Residual")
    body = tuple(Row((r.code, r.risk, *(LEVEL_NAMES.get(x, x) for x in
                                        (r.likelihood, r.impact, r.level)),
                      r.mitigation, r.residual)) for r in risks)  # fmt: skip
    return Table("Risks of the programme document", tuple(Column(n, Kind.TEXT) for n in names),
                 body, total=False)  # fmt: skip
