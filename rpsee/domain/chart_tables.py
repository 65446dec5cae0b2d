"""A chart's figures as a table (`rpsee.domain.tables.Table`): the text alternative of a chart
for readers who cannot see it (the pack's accessible HTML edition). Exact USD, the same amounts
the chart spec holds (`rpsee/domain/chart_specs.py`); a list of values, so no Total row."""

from __future__ import annotations

from rpsee.domain.chart_specs import FAN_KIND, HEAT_MAP, WATERFALL_KIND, ChartSpec
from rpsee.domain.tables import SUBTOTAL_PREFIX, Column, Kind, Row, Table, is_total_label


def _label(text: str) -> str:
    """A row label a Table accepts (a chart's "Total" category is data, not a computed row)."""
    return f"{text} (as charted)" if is_total_label(text) or text.startswith(
        SUBTOTAL_PREFIX) else text  # fmt: skip


def data_table(spec: ChartSpec, title: str) -> Table:
    """The data behind the chart `title` drawn from `spec`."""
    if spec.kind == HEAT_MAP and spec.grid is not None:
        g = spec.grid
        columns = (Column("Thematic area", Kind.TEXT), *(Column(f"{c} (USD)") for c in g.columns))
        rows = tuple(Row((_label(r), *values)) for r, values in zip(g.rows, g.values, strict=True))
        return Table(f"Data of the chart: {title}", columns, rows, total=False,
                     notes=("Exact amounts; the chart's cells show them in USD '000.",))
    if spec.kind == WATERFALL_KIND:
        columns = (Column("Step", Kind.TEXT), Column("Amount (USD)"),
                   Column("Running total (USD)"))  # fmt: skip
        rows = tuple(Row((_label(s.label), s.amount, s.end)) for s in spec.steps)
        return Table(f"Data of the chart: {title}", columns, rows, total=False)
    names = [s.name for s in spec.series]
    if spec.kind == FAN_KIND and spec.band is not None:
        names += [f"{spec.band.name}: low", f"{spec.band.name}: high"]
    columns = (Column("Category", Kind.TEXT), *(Column(f"{n} (USD)") for n in names))
    rows = []
    for i, category in enumerate(spec.categories):
        cells: list = [_label(category), *(s.values[i] if i < len(s.values) else None
                                   for s in spec.series)]  # fmt: skip
        if spec.kind == FAN_KIND and spec.band is not None:
            cells += [spec.band.low[i], spec.band.high[i]]
        rows.append(Row(tuple(cells)))
    return Table(f"Data of the chart: {title}", columns, tuple(rows), total=False)
