"""The table renderer's frame and styles (no browser): exact figures become display floats only
here, blanks stay missing (shown as "–"), only computed rows are set apart."""

from __future__ import annotations

from decimal import Decimal as D

from rpsee.domain.tables import Column, Kind, Row, RowKind, Table
from rpsee.ui.tables import column_config, styled, to_frame

TABLE = Table(
    "t",
    (Column("Area", Kind.TEXT), Column("USD"), Column("Share", Kind.PERCENT),
     Column("Lines", Kind.COUNT)),
    (Row(("1. Drugs", D("1234567.89"), D("60.00"), 3)), Row(("2. Crime", None, None, None))),
    (Row(("Unallocated", D("0.11"), None, None), RowKind.SPECIAL),),
    subtotal="areas",
)  # fmt: skip


def test_frame_keeps_blanks_missing_and_the_total_last() -> None:
    frame = to_frame(TABLE)
    assert list(frame["Area"]) == ["1. Drugs", "2. Crime", "Subtotal: areas", "Unallocated",
                                   "Total"]  # fmt: skip
    assert str(frame["USD"].dtype) == "Float64" and str(frame["Lines"].dtype) == "Int64"
    assert frame["USD"].isna().tolist() == [False, True, False, False, False]
    assert frame["USD"].iloc[-1] == 1234568.00  # 1,234,567.89 + 0.11, summed exactly first
    assert frame["Lines"].iloc[-1] == 3 and frame["Share"].isna().iloc[-1]


def test_only_computed_rows_are_bold_and_money_is_right_aligned_with_two_decimals() -> None:
    frame = to_frame(TABLE)
    styler = styled(TABLE, frame)
    styler._compute()  # what Streamlit reads: (row, column) -> css properties
    bold = {row for (row, _col), props in styler.ctx.items() if ("font-weight", "bold") in props}
    tinted = {row for (row, _col), props in styler.ctx.items()
              if any(k == "background-color" for k, _v in props)}  # fmt: skip
    assert bold == {2, 4}  # the subtotal and the Total
    assert tinted == {2, 3, 4}  # and the special row
    config = column_config(TABLE, frame, None)
    assert config["USD"]["type_config"]["format"] == "%,.2f"
    assert config["USD"]["alignment"] == "right"
    assert config["USD"]["width"] >= len("1,234,568.00") * 6
    assert config["Share"]["type_config"]["format"] == "%.2f%%"
    assert config["Area"]["pinned"] is True


def test_a_table_with_a_total_is_drawn_whole_so_its_total_is_seen() -> None:
    from rpsee.ui.tables import fitted_height

    outputs = Table("By output", (Column("Output", Kind.TEXT), Column("USD")),
                    tuple(Row((f"{i}.1", D(i))) for i in range(22)))  # fmt: skip
    rows = len(to_frame(outputs))
    assert rows == 23
    assert fitted_height(outputs, rows) == 35 * 24 + 3  # Streamlit's "auto" shows ~10 rows
    listing = Table("Positions", outputs.columns, outputs.rows, total=False)
    assert fitted_height(listing, 22) is None  # a list without a Total may scroll


def test_the_pipeline_in_currency_shows_its_cycle_whole_in_an_expander_at_1280_px() -> None:
    # At 1280 px an expander's grid is 865 px wide; the label is drawn 130 px wide (the page).
    from rpsee.domain.pipeline import Contribution, Earmark
    from rpsee.domain.pipeline_tables import contributions_currency

    years = range(2024, 2030)
    big = Contribution(1, "TUR", "x", "TRY", {y: D("10000000.00") for y in years}, "prospect",
                       Earmark("none"))  # fmt: skip
    table = contributions_currency([big], years, {"TUR": "Türkiye"})
    config = column_config(table, to_frame(table), 130)
    names = [c.name for c in table.columns]
    shown = names[: names.index("Cycle") + 1]  # the label, the years and the cycle
    assert sum(config[n]["width"] for n in shown) <= 865, {n: config[n]["width"] for n in shown}


def test_a_label_takes_what_the_figures_leave_of_its_box() -> None:
    years = Table("Staff by position", (Column("Position", Kind.TEXT),
                                        *(Column(str(y)) for y in range(2024, 2030)),
                                        Column("Cycle")),
                  (Row(("P_001 · Regional Representative for South-Eastern Europe",
                        *[D("2461450.80")] * 6, D("10905067.65"))),))  # fmt: skip
    frame = to_frame(years)
    fixed = column_config(years, frame, 130)
    assert fixed["Position"]["width"] == 130
    filled = column_config(years, frame, 130, box_px=900)
    figures = sum(filled[c.name]["width"] for c in years.columns[1:])
    assert filled["Position"]["width"] == 900 - figures - 2 > 130
    assert {n: c["width"] for n, c in filled.items() if n != "Position"} == {
        n: c["width"] for n, c in fixed.items() if n != "Position"}  # the figures as they were
    crowded = column_config(years, frame, 130, box_px=600)  # no room left: the label's minimum
    assert crowded["Position"]["width"] == 130
