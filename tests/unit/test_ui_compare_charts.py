"""The comparison's chart alignment: one y-range and one tick step per row, the tallest
waterfall step, and each donor's colour the same in every column."""

from __future__ import annotations

import pytest

from rpsee.domain.funding import Step
from rpsee.ui import compare_charts as cc


def test_waterfall_top_is_the_highest_running_total() -> None:
    steps = [Step("Requirement", 1000), Step("Support costs saved", -50), Step("Hard", -300),
             Step("Soft", -100), Step("Gap", 550)]  # fmt: skip
    assert cc.waterfall_top(steps) == 1000
    # A negative gap (more money than needed) never lowers the top below the requirement.
    assert cc.waterfall_top([Step("Requirement", 500), Step("Support costs saved", 0),
                             Step("Hard", -600), Step("Soft", 0), Step("Gap", -100)]) == 500


@pytest.mark.parametrize(("top", "step"), [(0.5, 0.1), (3.3, 1), (9.2, 2), (12.2, 5), (49, 10)])
def test_nice_step(top: float, step: float) -> None:
    assert cc.nice_step(top) == pytest.approx(step)


def test_a_row_shares_range_and_ticks_and_donor_colours() -> None:
    money = [{("EU", 2026): 300_000_000, ("USA", 2026): 100_000_000},
             {("USA", 2026): 200_000_000}]  # fmt: skip
    figs, colours = cc.by_donor(money, [2026, 2027], {"EU": "European Union",
                                                      "USA": "United States"})
    assert list(colours) == ["European Union", "United States"]  # largest over all first
    ranges = {tuple(f.layout.yaxis.range) for f in figs}
    assert len(ranges) == 1
    assert ranges.pop() == (0, pytest.approx(4 * cc.HEADROOM))  # the taller stack: USD 4M
    assert {f.layout.yaxis.dtick for f in figs} == {1}
    us = [t.marker.color for f in figs for t in f.data if t.name == "United States"]
    assert len(us) == 2 and len(set(us)) == 1
    assert '<span' in cc.legend_html({"<b>X</b>": "#000"})
    assert "&lt;b&gt;X&lt;/b&gt;" in cc.legend_html({"<b>X</b>": "#000"})  # escaped
