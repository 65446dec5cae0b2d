"""The approval pack and the finance workbook of the same workplan version print the same
figures: the cycle by year (every year and the Total) and the workplan's total, read back from
the PDF (pypdf) and the workbook (openpyxl) and checked against the version's own lines."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from rpsee.domain.money import format_amount, format_usd
from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.workplan_totals import grand_total
from rpsee.services import finance_exports, pack, workplans
from tests.unit.pack_fixtures import page_texts

CENT = Decimal("0.01")
PLANNER = CurrentUser("demo.planner", "Planner", Role.PLANNER)
CYCLE = "Envelope and plan by year"


@pytest.fixture(scope="module")
def exports(tmp_path_factory):  # noqa: ANN001, ANN201
    from rpsee.services.bootstrap import prepare
    from rpsee.store.db import dispose

    url = f"sqlite:///{tmp_path_factory.mktemp('agree') / 'agree.sqlite'}"
    prepare(url)  # demo mode: the 2026 and 2027 workplans, planning data, the pipeline
    plan = pack.version_of(PLANNER, 2026, url=url)
    text = " ".join(page_texts(pack.build_pack(PLANNER, plan.id, url=url)))
    book = load_workbook(io.BytesIO(finance_exports.build_workbook(PLANNER, plan.id, url=url)))
    lines = workplans.activities(PLANNER, plan.id, url=url)
    yield plan, text, book, lines
    dispose(url)


def _money(value: object) -> Decimal:
    assert isinstance(value, int | float), f"not a number: {value!r}"
    return Decimal(str(value)).quantize(CENT)


def _rows(ws) -> list[tuple[str, list[Decimal]]]:  # noqa: ANN001
    """The label and amounts of each row under the title and header, up to the first blank."""
    rows = []
    for cells in ws.iter_rows(min_row=3, values_only=True):
        if cells[0] is None:
            break
        rows.append((str(cells[0]), [_money(v) for v in cells[1:] if v is not None]))
    return rows


def test_the_pack_and_the_workbook_print_the_same_cycle_by_year(exports) -> None:  # noqa: ANN001
    plan, text, book, lines = exports
    ws = book["By year"]
    assert ws.cell(row=1, column=1).value == CYCLE
    rows = _rows(ws)
    assert [label for label, _ in rows] == ["2024", "2025", "2026", "2027", "2028", "2029",
                                            "Total"]  # fmt: skip
    years, (_, total) = rows[:-1], rows[-1]
    # the Total is the sum of the years, column by column, to the cent
    assert total == [sum(col, Decimal(0)) for col in zip(*(a for _, a in years), strict=True)]
    # this version's activity budgets are its year's Activities
    assert dict(years)["2026"][2] == grand_total(lines)
    # the pack's cycle table prints the same rows, in the same order
    table = text[text.index(CYCLE):]
    printed = " ".join(f"{label} {' '.join(format_amount(a) for a in amounts)}"
                       for label, amounts in rows)  # fmt: skip
    assert printed in table


def test_the_pack_and_the_workbook_print_the_same_workplan_total(exports) -> None:  # noqa: ANN001
    plan, text, book, lines = exports
    expected = grand_total(lines)
    assert expected > 0
    assert (f"Activity budgets of the {plan.year} workplan, version {plan.version_no}: "
            f"{format_usd(expected)}.") in text  # fmt: skip
    for sheet in ("Workplan by output", "Workplan by office"):
        label, amounts = _rows(book[sheet])[-1]
        assert label == "Total" and amounts[0] == expected, sheet


def test_the_pack_and_the_workbook_name_cost_categories_one_way(exports) -> None:  # noqa: ANN001
    """Area x category: the same short names as headers in both (the pages' names), each full
    name said once in the table's note."""
    from rpsee.domain.workplan_labels import CATEGORY_SHORT

    _plan, text, book, _lines = exports
    ws = book["Area x category"]
    headers = [c.value for c in ws[2]]
    assert headers[1:-1] == list(CATEGORY_SHORT.values())
    notes = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Staff = Staff and other personnel costs" in notes
    table = text[text.index("Activities by thematic area and cost category"):]
    assert " ".join(CATEGORY_SHORT.values()) in table
