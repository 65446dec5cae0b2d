"""Tables people read (pages, and later the PDF pack and the Excel workbook): typed columns,
rows, a Total row computed as the exact sum of the rows, special rows, footnotes.

Label convention (what the page tests rely on): the first column holds each row's label; the
Total row, when there is one, is the last row and its label starts with `TOTAL_LABEL` ("Total",
or e.g. "Total: staff cost charged"); no other row's label does. A subtotal row's label starts
with `SUBTOTAL_PREFIX` and is not part of the Total (its rows are).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from rpsee.domain.allocation import percent_shares

TOTAL_LABEL = "Total"
SUBTOTAL_PREFIX = "Subtotal"
BLANK = "–"  # how an empty cell reads (never "None")

Cell = str | Decimal | int | None


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # Decimal, USD to the cent
    PERCENT = "percent"  # Decimal, 12.5 means 12.5%
    COUNT = "count"  # int


class RowKind(StrEnum):
    ITEM = "item"  # a part of the whole
    SPECIAL = "special"  # also a part of the whole, set apart (e.g. "Unallocated")
    SUBTOTAL = "subtotal"  # computed: the sum of the item rows
    TOTAL = "total"  # computed: the sum of item and special rows


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.MONEY
    help: str | None = None
    summed: bool | None = None  # default: money and counts are summed, text and percent not

    @property
    def adds_up(self) -> bool:
        return self.summed if self.summed is not None else self.kind in (Kind.MONEY, Kind.COUNT)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: RowKind = RowKind.ITEM
    help: str | None = None  # e.g. an output's full text

    @property
    def label(self) -> str:
        return str(self.cells[0]) if self.cells else ""


def is_total_label(label: str) -> bool:
    return label == TOTAL_LABEL or label.startswith(f"{TOTAL_LABEL}:")


def row(*cells: Cell, kind: RowKind = RowKind.ITEM, help: str | None = None) -> Row:  # noqa: A002
    return Row(tuple(cells), kind, help)


def _sum(values: Iterable[Cell]) -> Cell:
    """The exact sum of a column's cells; blank when every cell is blank."""
    present = [v for v in values if v is not None and not isinstance(v, str)]
    if not present:
        return None
    if all(isinstance(v, int) for v in present):
        return sum(present)  # type: ignore[arg-type]
    return sum((Decimal(v) for v in present), Decimal("0.00"))


@dataclass(frozen=True)
class Table:
    """A titled table. With `total=True` a Total row is appended, computed from the rows; with a
    `subtotal` label and special rows, a subtotal of the item rows comes before the specials."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    special_rows: tuple[Row, ...] = ()
    total: bool = True
    total_label: str = TOTAL_LABEL
    subtotal: str | None = None
    footnotes: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)  # captions shown under the table

    def __post_init__(self) -> None:
        width = len(self.columns)
        for r in (*self.rows, *self.special_rows):
            if len(r.cells) != width:
                raise ValueError(f"{self.title}: row {r.label!r} has {len(r.cells)} cells, "
                                 f"not {width}")  # fmt: skip
            if is_total_label(r.label) or r.label.startswith(SUBTOTAL_PREFIX):
                raise ValueError(f"{self.title}: a given row may not be labelled {r.label!r}; "
                                 "totals are computed")  # fmt: skip
        if not is_total_label(self.total_label):
            raise ValueError(f"{self.title}: a Total row's label starts with {TOTAL_LABEL!r}")

    def _computed(self, label: str, rows: Sequence[Row], kind: RowKind) -> Row:
        cells: list[Cell] = [label]
        for i, col in enumerate(self.columns[1:], start=1):
            cells.append(_sum(r.cells[i] for r in rows) if col.adds_up else None)
        return Row(tuple(cells), kind)

    def subtotal_row(self) -> Row | None:
        if not (self.subtotal and self.special_rows):
            return None
        label = self.subtotal if self.subtotal.startswith(SUBTOTAL_PREFIX) else (
            f"{SUBTOTAL_PREFIX}: {self.subtotal}")  # fmt: skip
        return self._computed(label, self.rows, RowKind.SUBTOTAL)

    def total_row(self) -> Row | None:
        if not self.total or not (self.rows or self.special_rows):
            return None  # a Total of nothing would read as a figure
        return self._computed(self.total_label, [*self.rows, *self.special_rows], RowKind.TOTAL)

    def body(self) -> list[Row]:
        """Every row in display order: items, subtotal, special rows, Total."""
        extra = [self.subtotal_row()] if self.subtotal_row() else []
        total = [self.total_row()] if self.total_row() else []
        return [*self.rows, *extra, *self.special_rows, *total]  # type: ignore[list-item]

    def column(self, name: str) -> list[Cell]:
        i = [c.name for c in self.columns].index(name)
        return [r.cells[i] for r in self.body()]


def breakdown(
    title: str, label: str, amounts: Iterable[tuple[str, Decimal]], *,
    amount_column: str = "USD", helps: dict[str, str] | None = None,
    footnotes: Sequence[str] = (), share: bool = False,
) -> Table:  # fmt: skip
    """A one-money-column breakdown of a whole (e.g. a workplan by quarter), with a Total row;
    `share` adds each row's percent of the total (two decimals by largest remainders, so the
    shares add up to exactly 100.00; not summed)."""
    items = list(amounts)
    columns = [Column(label, Kind.TEXT), Column(amount_column, Kind.MONEY)]
    if share:
        columns.append(Column("Share", Kind.PERCENT))
    shares = percent_shares([a for _k, a in items])
    rows = []
    for (key, amount), part in zip(items, shares, strict=True):
        cells: list[Cell] = [key, amount]
        if share:
            cells.append(part)
        rows.append(Row(tuple(cells), help=(helps or {}).get(key)))
    return Table(title, tuple(columns), tuple(rows), footnotes=tuple(footnotes))


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def footnotes_for(labels: Iterable[str], notes: dict[str, str]) -> tuple[str, ...]:
    """The footnotes (`notes`: marked label -> note) of the labels a table shows, once each."""
    shown = set(labels)
    return tuple(dict.fromkeys(n for label, n in notes.items() if label in shown))
