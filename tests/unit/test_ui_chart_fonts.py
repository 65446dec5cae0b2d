"""Meeting mode's large type reaches every text of a scenario chart (Streamlit's chart theme
would otherwise size ticks and legend itself)."""

from rpsee.ui import charts_scenarios


def test_ticks_legend_and_axis_title_take_the_callers_size():
    fig = charts_scenarios.coverage({2026: 500_000_00}, {2026: 300_000_00}, [2026], None, 400, 20)
    layout = fig.layout
    assert layout.xaxis.tickfont.size == 20
    assert layout.yaxis.tickfont.size == 20
    assert layout.yaxis.title.font.size == 20
    assert layout.legend.font.size == 20
    assert layout.uniformtext.minsize == 18 and layout.uniformtext.mode == "hide"


def test_the_scenario_page_keeps_its_smaller_type():
    fig = charts_scenarios.gaps(["Baseline"], [{2026: 100_00}], [2026])
    assert fig.layout.xaxis.tickfont.size == 14
    assert fig.layout.legend.font.size == 14
