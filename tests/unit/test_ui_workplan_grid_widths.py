"""The workplan grid's column widths: as wide as a header or the largest amount drawn in the
grid's font, and, for the demo lines and lines of a million or more, the budget columns fit
beside the pinned title in what the grid shows at 1280 px (GRID_PX)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from rpsee.domain.workplan import next_code
from rpsee.domain.workplan_rules import Codebook, parse_row
from rpsee.services.demo import demo_rows
from rpsee.ui.grid_font import text_px
from rpsee.ui.workplan_grid import (
    GRID_PX,
    ICON_PX,
    KERN_PX,
    TITLE_MIN,
    TITLE_WIDTH,
    amount_widths,
    category_label,
    header,
    totals_columns,
)
from tests.unit.test_domain_workplan import REF


def _demo_lines():  # noqa: ANN202
    year, rows = demo_rows()
    book, taken, lines = Codebook.for_year(REF, year), set(), []
    for label, raw in rows:
        activity, errors = parse_row(raw, label, book)
        assert not errors and activity is not None
        code = next_code(year, activity.output_code, taken)
        taken.add(code)
        lines.append(replace(activity, code=code))
    return lines


DEMO = _demo_lines()


def _span(widths: dict[str, int]) -> int:
    return sum(widths[c] for c in totals_columns(REF))


def test_text_widths_are_the_browsers() -> None:
    """As Chromium measured them in the grid's font (see rpsee/ui/grid_font.py): figures to a
    hundredth of a px; words within the 1 px kerning allowance of a header."""
    measured = {"1,234,567.89": 73.08, "12,345,678.90": 80.04, "2026-1.1-001": 74.82,
                "Equipment": 64.78, "Contract.": 54.11, "Operating": 58.29, "Supplies": 50.46,
                "Transfers": 53.53}  # fmt: skip
    for text, px in measured.items():
        assert px - KERN_PX <= text_px(text) <= px + 1.5, text
    for text in ("1,234,567.89", "12,345,678.90", "2026-1.1-001"):
        assert text_px(text) == pytest.approx(measured[text], abs=0.05)
    assert text_px("1,234,567.89", bold=True) == pytest.approx(79.11, abs=0.05)
    assert text_px("é") == max(text_px(chr(c)) for c in range(32, 127))  # unknown: the widest


def test_demo_lines_fit_with_the_title_near_its_width() -> None:
    widths = amount_widths(DEMO, REF)
    assert _span(widths) <= GRID_PX
    assert TITLE_WIDTH - 8 <= widths["Title"] <= TITLE_WIDTH, widths
    for c in REF.cost_categories:  # each header whole, after its edit icon
        assert widths[category_label(c.code, REF)] >= ICON_PX + text_px(header(c.code, REF)) + 4


@pytest.mark.parametrize("code", [c.code for c in REF.cost_categories])
def test_a_line_of_a_million_in_any_column_fits(code: str) -> None:
    big = [replace(DEMO[0], budget={**DEMO[0].budget, code: Decimal("1234567.89")}), *DEMO[1:]]
    widths = amount_widths(big, REF)
    assert _span(widths) <= GRID_PX, widths
    assert widths["Title"] >= TITLE_MIN
    label = category_label(code, REF)
    total = sum((a.budget.get(code) or Decimal(0)) for a in big if a.counts)
    assert widths[label] >= 8 + text_px(f"{total:,.2f}", bold=True) + 4  # its total, bold


def test_larger_amounts_are_never_cut_the_title_keeps_its_minimum() -> None:
    """Beyond what fits at 1280 px the budget columns scroll; no amount is cut."""
    big = [replace(DEMO[0], budget={**DEMO[0].budget, "STAFF": Decimal("12345678.90")}),
           *DEMO[1:]]  # fmt: skip
    widths = amount_widths(big, REF)
    assert widths["Title"] == TITLE_MIN and _span(widths) > GRID_PX
    assert widths[category_label("STAFF", REF)] >= 8 + text_px("12,345,678.90") + 4
    grand = sum(a.total for a in big if a.counts)
    assert widths["Total"] >= 8 + text_px(f"{grand:,.2f}", bold=True) + 4


def test_no_lines_still_has_room_for_the_headers() -> None:
    widths = amount_widths([], REF)
    assert widths["Code"] >= 8 + text_px("New row 99") and widths["Title"] == TITLE_WIDTH
