"""Draws a domain Table: money right-aligned with thousands separators and two decimals (exact
Decimals turned into floats only here, for display), blanks as "–", the Total row set apart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from rpsee.domain.tables import BLANK, Kind, RowKind, Table
from rpsee.ui.text import md

MONEY_FORMAT = "%,.2f"
# Measured in Chromium at the grid's 14 px font: a digit, comma or point about 6 px, a letter of
# a header about 6.5 px; cells have 8 px of padding on each side.
DIGIT_PX = 6.4
LETTER_PX = 7.0
PADDING_PX = 20
ROW_PX = 35  # the grid's row (and header) height
FULL_ROWS = 30  # a table with a Total and up to this many rows is drawn whole (no inner scroll)
MAIN_PX = 938  # the main column's width at 1280 px with the sidebar open (a full-width table),
# less the page's scrollbar (10 px; see LAYOUT_STYLE in rpsee/ui/nav.py for its 1rem padding)
ROW_STYLES = {
    RowKind.TOTAL: "background-color: #dde5ef; font-weight: bold",
    RowKind.SUBTOTAL: "background-color: #eef2f7; font-weight: bold",
    RowKind.SPECIAL: "background-color: #f7f7f9; color: #4a5361",
    RowKind.ITEM: "",
}


def _value(kind: Kind, cell: object) -> Any:
    if cell is None:
        return None
    if kind in (Kind.MONEY, Kind.PERCENT):
        return float(Decimal(cell))  # display only
    if kind is Kind.COUNT:
        return int(cell)  # type: ignore[call-overload]
    return str(cell)


def to_frame(table: Table) -> pd.DataFrame:
    """The table's rows in display order, Total last; money and percent as float, counts as
    nullable integers, blanks as missing values."""
    body = table.body()
    data: dict[str, Any] = {}
    for i, col in enumerate(table.columns):
        values = [_value(col.kind, r.cells[i]) for r in body]
        if col.kind is Kind.COUNT:
            data[col.name] = pd.array(values, dtype="Int64")
        elif col.kind is Kind.TEXT:
            data[col.name] = [BLANK if v is None else v for v in values]
        else:
            data[col.name] = pd.array(values, dtype="Float64")
    return pd.DataFrame(data)


def _width(col_name: str, texts: list[str], cap: int, per_char: float = DIGIT_PX) -> int:
    """Wide enough for the header and the widest cell (text cells: up to `cap`)."""
    header = len(col_name) * LETTER_PX
    cells = max((len(t) for t in texts), default=0) * per_char
    return int(min(cap, max(header, cells) + PADDING_PX))


NO_TOTAL = "(no total)"  # said in the help of a money column a table does not total


def column_config(table: Table, frame: pd.DataFrame, label_px: int | None,
                  box_px: int | None = None) -> dict[str, Any]:  # fmt: skip
    """Each column's type, format and width. With `box_px` (the table's box at 1280 px), the
    label column widens from `label_px` into what the other columns leave of the box (its
    text was cut while the figures' columns were stretched)."""
    config = _column_config(table, frame, label_px)
    first = table.columns[0]
    if box_px and label_px and first.kind is Kind.TEXT:
        others = sum(config[c.name]["width"] for c in table.columns[1:])
        config[first.name]["width"] = max(label_px, box_px - others - 2)
    return config


def _column_config(table: Table, frame: pd.DataFrame, label_px: int | None) -> dict[str, Any]:
    cc = st.column_config
    config: dict[str, Any] = {}
    for i, col in enumerate(table.columns):
        values = frame[col.name].dropna().tolist()
        if col.kind is Kind.TEXT:
            width = label_px if (i == 0 and label_px) else _width(col.name, values, 360,
                                                                   LETTER_PX)  # fmt: skip
            config[col.name] = cc.TextColumn(width=width, help=col.help, pinned=i == 0)
        elif col.kind is Kind.COUNT:
            config[col.name] = cc.NumberColumn(format="%d", help=col.help,
                                               width=_width(col.name, ["0000"], 200))  # fmt: skip
        else:
            fmt = MONEY_FORMAT if col.kind is Kind.MONEY else "%.2f%%"
            shown = [f"{v:,.2f}" + ("%" if col.kind is Kind.PERCENT else "") for v in values]
            help_text = col.help
            if table.total and col.kind is Kind.MONEY and not col.adds_up:
                help_text = f"{help_text or ''} {NO_TOTAL}".strip()
            config[col.name] = cc.NumberColumn(
                format=fmt, help=help_text, alignment="right",
                width=_width(col.name, shown, 240),
            )  # fmt: skip
    return config


def fitted_height(table: Table, rows: int) -> int | None:
    """Tall enough for every row when the table has a Total (and at most `FULL_ROWS` rows), so
    the Total is seen without scrolling inside the grid; else None (Streamlit's own height)."""
    if not table.total or rows > FULL_ROWS:
        return None
    return ROW_PX * (rows + 1) + 3


def styled(table: Table, frame: pd.DataFrame) -> Any:
    """Total and subtotal rows bold on a tinted background; special rows tinted."""
    kinds = [r.kind for r in table.body()]
    return frame.style.apply(lambda col: [ROW_STYLES[k] for k in kinds], axis=0)


def show(table: Table, *, title: bool = True, label_px: int | None = None,
         height: int | None = None, key: str | None = None,
         box_px: int | None = None) -> pd.DataFrame:  # fmt: skip
    """Draw the table with its title, notes and footnotes; returns the frame drawn. A table
    without rows says so in a line (a Total of nothing would read as a figure). `box_px`:
    see `column_config` (e.g. `MAIN_PX` for a table across the page)."""
    if title and table.title:
        st.markdown(f"**{md(table.title)}**")
    frame = to_frame(table)
    if not table.rows and not table.special_rows:
        st.caption("None.")
        return frame.iloc[0:0]
    height = height or fitted_height(table, len(frame))
    st.dataframe(
        styled(table, frame), hide_index=True, width="stretch",
        height=height or "auto", column_config=column_config(table, frame, label_px, box_px),
        placeholder=BLANK, key=key,
    )  # fmt: skip
    for line in (*table.notes, *table.footnotes):
        st.caption(md(line))
    return frame
