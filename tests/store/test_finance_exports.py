"""The finance workbook and the activity CSV on the demo database, read back: every sheet's
figures against the domain tables and the pages' own figures to the cent, number formats, frozen
headers and filters, the cover; the CSV parsed back; the command line; LibreOffice opens it."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rpsee.domain.requirement import compare_year
from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.scenario import Scenario
from rpsee.domain.scenario_record import funding_of
from rpsee.domain.tables import Kind, RowKind, Table
from rpsee.domain.workplan_totals import grand_total
from rpsee.reports.finance_workbook import MIN_PRINT_SCALE, print_scale
from rpsee.services import (
    delivery,
    export_inputs,
    finance_exports,
    pipeline,
    planning,
    programme,
    scenarios,
    staffing,
    workplans,
)
from tests.conftest import missing

CENT = Decimal("0.01")
PLANNER = CurrentUser("demo.planner", "Demo planner", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "Demo finance", Role.FINANCE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> SimpleNamespace:  # noqa: ANN001
    from rpsee.services.bootstrap import prepare
    from rpsee.store.db import dispose

    url = f"sqlite:///{tmp_path_factory.mktemp('fin') / 'fin.sqlite'}"
    prepare(url)  # demo mode: the 2026 and 2027 workplans, planning data, the pipeline
    plan = next(p for p in workplans.list_workplans(PLANNER, url=url) if p.year == 2026)
    frozen_id = scenarios.freeze(PLANNER, Scenario("Tight year"), draws=200, url=url)
    data = finance_exports.build_workbook(FINANCE, plan.id, frozen_id, url=url)
    yield SimpleNamespace(
        url=url, plan=plan, frozen_id=frozen_id, data=data,
        book=load_workbook(io.BytesIO(data)),
        sheets=finance_exports.sheets(FINANCE, export_inputs.read(FINANCE, plan.id, url=url),
                                      scenarios.frozen_scenario(FINANCE, frozen_id, url=url),
                                      url=url),
        activities=workplans.activities(PLANNER, plan.id, url=url),
    )  # fmt: skip
    dispose(url)


def _money(value: object) -> Decimal:
    assert isinstance(value, int | float), f"not a number: {value!r}"
    return Decimal(str(value)).quantize(CENT)


def _read_table(ws, top: int, width: int) -> list[list[object]]:  # noqa: ANN001
    """The cells of a table written from row `top` (title), its header the next row, up to
    the first empty row."""
    rows = []
    r = top + 2
    while ws.cell(row=r, column=1).value is not None:
        rows.append([ws.cell(row=r, column=c) for c in range(1, width + 1)])
        r += 1
    return rows


def _check_table(ws, table: Table, top: int) -> int:  # noqa: ANN001
    """Every cell of `table` as written: values to the cent, numeric cells with formats, the
    Total row bold. Returns the row after the table."""
    assert ws.cell(row=top, column=1).value == table.title
    header = [ws.cell(row=top + 1, column=c + 1).value for c in range(len(table.columns))]
    assert header == [c.name for c in table.columns]
    body = table.body()
    cells = _read_table(ws, top, len(table.columns))
    if not body:
        assert [c.value for c in cells[0][:1]] == ["None."]
        return top + 3
    assert len(cells) == len(body), f"{ws.title}: {len(cells)} rows, not {len(body)}"
    for row, written in zip(body, cells, strict=True):
        for col, expected, cell in zip(table.columns, row.cells, written, strict=True):
            if expected is None or expected == "":
                assert cell.value is None, (ws.title, row.label, col.name, cell.value)
            elif col.kind is Kind.TEXT:
                assert cell.value == str(expected) and cell.data_type == "s"
            elif col.kind is Kind.MONEY:
                assert _money(cell.value) == Decimal(expected), (ws.title, row.label, col.name)
                assert cell.data_type == "n" and "#,##0.00" in cell.number_format
            elif col.kind is Kind.PERCENT:
                assert (Decimal(str(cell.value)) * 100).quantize(CENT) == Decimal(expected)
                assert cell.number_format.startswith("0.00%")
            else:
                assert cell.value == expected and cell.number_format.startswith("#,##0")
        assert written[0].font.bold == (row.kind in (RowKind.TOTAL, RowKind.SUBTOTAL))
    return top + 1 + len(body) + 1


def test_every_sheet_prints_its_table_to_the_cent(demo) -> None:  # noqa: ANN001
    names = demo.book.sheetnames
    assert names[0] == "Cover" and names[1:] == [s.name for s in demo.sheets]
    for sheet in demo.sheets:
        ws = demo.book[sheet.name]
        top = 1
        for table in sheet.tables:
            while ws.cell(row=top, column=1).value != table.title:  # the next table's title
                assert top < ws.max_row, (sheet.name, table.title)
                top += 1
            top = _check_table(ws, table, top)
            expected = [*table.notes, *table.footnotes,
                        *(f"{c.name}: {c.help}" for c in table.columns if c.help)]
            notes = [ws.cell(row=top + 1 + i, column=1).value for i in range(len(expected))]
            assert notes == expected
        assert ws.freeze_panes == "B3", sheet.name
        first, last = ws.auto_filter.ref.split(":")
        assert first == "A2", sheet.name
        main = sheet.tables[0]
        items = len(main.body()) - (1 if main.total and main.body() else 0)
        assert last.endswith(str(2 + max(items, 1))), (sheet.name, last)  # the Total row below


def test_every_sheet_prints_a4_one_page_wide_with_its_titles(demo) -> None:  # noqa: ANN001
    for sheet in demo.sheets:
        ws = demo.book[sheet.name]
        assert ws.page_setup.paperSize == 9, sheet.name  # A4
        columns = max(len(t.columns) for t in sheet.tables)
        widths = sum(ws.column_dimensions[get_column_letter(c)].width or 8
                     for c in range(1, columns + 1))  # fmt: skip
        wide = "landscape" if widths > 100 else "portrait"
        assert ws.page_setup.orientation == wide, (sheet.name, widths)
        assert bool(ws.sheet_properties.pageSetUpPr.fitToPage) == sheet.fit_width, sheet.name
        if sheet.fit_width:  # the fewest pages across that print at a readable scale
            pages = ws.page_setup.fitToWidth
            px = sum((ws.column_dimensions[get_column_letter(c)].width or 8) * 7 + 5
                     for c in range(1, columns + 1))  # fmt: skip
            assert print_scale(px, pages) >= MIN_PRINT_SCALE, sheet.name
            assert pages == 1 or print_scale(px, pages - 1) < MIN_PRINT_SCALE, sheet.name
            assert ws.page_setup.fitToHeight == 0, sheet.name
        assert ws.print_title_rows == "$1:$2" and ws.print_title_cols == "$A:$A", sheet.name
        last = get_column_letter(columns)
        used = max(c.row for row in ws.iter_rows() for c in row if c.value is not None)
        assert ws.print_area == f"'{ws.title}'!$A$1:${last}${used}", sheet.name
    assert demo.book["Activities"].page_setup.orientation == "landscape"
    assert demo.book["Cover"].page_setup.paperSize == 9


def test_zeros_show_as_a_dash_and_stay_zero(demo) -> None:  # noqa: ANN001
    ws = demo.book["Area x category"]
    zeros = [c for row in ws.iter_rows(min_row=3) for c in row if c.value == 0]
    assert zeros  # the demo has categories an area does not use
    for cell in zeros:
        assert cell.data_type == "n" and cell.number_format.endswith(';"–"'), cell.coordinate


def _sum_rows(ws, col: int) -> tuple[Decimal, Decimal]:  # noqa: ANN001
    """(sum of the item, special rows, the Total row's value) of a money column (main table)."""
    total = Decimal(0)
    r = 3
    while (label := ws.cell(row=r, column=1).value) is not None:
        value = ws.cell(row=r, column=col).value
        if label == "Total" or str(label).startswith("Total:"):
            return total, _money(value)
        if not str(label).startswith("Subtotal") and value is not None:
            total += _money(value)
        r += 1
    raise AssertionError(f"{ws.title}: no Total row")


def test_totals_reconcile_with_the_pages_figures(demo) -> None:  # noqa: ANN001
    book, url = demo.book, demo.url
    for ws in book.worksheets[1:]:
        if ws.title.startswith(("Pipeline (currency)", "Funding three")) or ws.title == \
                "Delivery 2025":  # fmt: skip
            continue  # not totalled: currencies differ / the same money counted three ways /
            # one year's expenditure against two bases
        for col in range(2, ws.max_column + 1):
            if any("#,##0.00" in ws.cell(row=r, column=col).number_format
                   for r in range(3, ws.max_row + 1)):  # a money column  # fmt: skip
                rows, total = _sum_rows(ws, col)
                assert rows == total, (ws.title, col)
    # the pages' own figures, computed as the allocation page's cache does
    ref = programme.reference(PLANNER, url=url)
    data = staffing.load(PLANNER, url=url)
    costing = staffing.costing(data.plans, data.rates, ref)
    c = compare_year(2026, planning.settings(PLANNER, url=url), demo.activities, costing, ref)
    workplan_total = grand_total(demo.activities)
    assert _sum_rows(book["Area x category"], 9)[1] == workplan_total
    listed = book["Activities"]
    total_col = next(c for c in range(1, listed.max_column + 1)
                     if listed.cell(row=2, column=c).value == "Total (USD)")  # fmt: skip
    assert _sum_rows(listed, total_col)[1] == workplan_total
    markers = book["Markers"]  # its first table: the budget by GEM code, by thematic area
    assert [markers.cell(row=2, column=c).value for c in range(2, 7)] == [
        "GEM 0", "GEM 1", "GEM 2", "GEM 3", "Total"]
    assert _sum_rows(markers, 6)[1] == workplan_total
    assert sum(_sum_rows(markers, c)[1] for c in range(2, 6)) == workplan_total
    assert _sum_rows(book["Area x office"], book["Area x office"].max_column)[1] == \
        c.area_total.activities + c.area_total.staff
    assert _sum_rows(book["Allocation by area"], 2)[1] == c.envelope
    assert _sum_rows(book["Allocation by area"], 6)[1] == c.area_total.planned
    assert _sum_rows(book["Allocation by office"], 6)[1] == c.area_total.planned
    spent = delivery.delivery(FINANCE, 2025, url=url)
    assert _sum_rows(book["Delivery by area 2025"], 3)[1] == spent.spent_total
    assert _sum_rows(book["Delivery by grant 2025"], 3)[1] == spent.spent_total
    assert _sum_rows(book["Delivery by area 2025"], 2)[1] == spent.budget_total
    staff = book["Staff by year"]
    assert _sum_rows(staff, staff.max_column)[1] == costing.net_total()
    view = pipeline.load(FINANCE, url=url)
    status = book["Pipeline by status"]
    assert _sum_rows(status, status.max_column)[1] == sum(t.usd for t in view.tranches)
    funding = scenarios.evaluate(PLANNER, Scenario("Tight year"), draws=200, url=url).funding
    req = sum(funding["hard_soft"][y].total.requirement_cents for y in funding["hard_soft"])
    assert _sum_rows(book["Scenario by year"], 2)[1] == Decimal(req) / 100
    # below it, the reconciliation: planned (standard rate) - saved = requirement at funders'
    ws = book["Scenario by year"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows) if str(r[0]).endswith(
        "from planned costs to the requirement at funders' rates (USD)"))  # fmt: skip
    assert rows[start + 1][:4] == ["Year", "Planned", "Support costs saved",
                                   "Requirement at funders' rates"]  # fmt: skip
    total = next(r for r in rows[start:] if r[0] == "Total")
    planned = sum(f.requirement_at_default_cents for f in funding["hard_soft"].values())
    assert [_money(v) for v in total[1:4]] == [Decimal(planned) / 100,
                                               Decimal(planned - req) / 100, Decimal(req) / 100]


def test_frozen_record_reads_back_as_the_scenario_figures(demo) -> None:  # noqa: ANN001
    record = scenarios.frozen_scenario(PLANNER, demo.frozen_id, url=demo.url)
    now = scenarios.evaluate(PLANNER, Scenario("Tight year"), draws=200, url=demo.url).funding
    assert funding_of(record.body) == now


def test_cover_says_what_the_workbook_reflects(demo) -> None:  # noqa: ANN001
    ws = demo.book["Cover"]
    lines = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value
             for r in range(1, ws.max_row + 1)}  # fmt: skip
    assert lines["Workplan"] == "2026, version 1"
    assert lines["Status"] == "approved (in use)"  # at the demo meeting
    assert lines["Scenario"].startswith("Tight year, frozen ")
    assert lines["Made by"] == "Demo finance (demo.finance, finance)"
    assert lines["Made at"].endswith(" UTC")
    assert lines["Note"].startswith("* All references to Kosovo")
    rates = pipeline.load(FINANCE, url=demo.url).rates
    found = {}
    for r in range(1, ws.max_row + 1):
        cur, value, when = (ws.cell(row=r, column=c).value for c in (1, 2, 3))
        if cur in rates and isinstance(value, float):
            found[cur] = (Decimal(str(value)), when.date())
    assert found["EUR"] == (rates["EUR"].usd_per_unit, rates["EUR"].as_of)
    assert set(found) == {k for k in rates if k != "USD"} & set(found) and found
    contents = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert "Activities" in contents and "Area x category" in contents


def test_kosovo_named_with_its_footnote(demo) -> None:  # noqa: ANN001
    ws = demo.book["Workplan by jurisdiction"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Kosovo*" in texts
    assert any(t.startswith("* All references to Kosovo") for t in texts)
    assert "Kosovo" not in texts


def test_activities_sheet_lists_every_activity(demo) -> None:  # noqa: ANN001
    ws = demo.book["Activities"]
    codes = [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)]
    listed = {c for c in codes if isinstance(c, str) and c.startswith("2026-")}
    assert listed == {a.code for a in demo.activities}


def test_csv_parsed_back_equals_the_activities(demo) -> None:  # noqa: ANN001
    data = finance_exports.activities_csv(PLANNER, demo.plan.id, url=demo.url)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(demo.activities)
    by_code = {r["code"]: r for r in rows}
    for a in demo.activities:
        row = by_code[a.code]
        assert Decimal(row["total"]) == a.total and "," not in row["total"]
        for cat in ("STAFF", "TRAVEL", "CONTRACTUAL"):
            assert Decimal(row[f"budget_{cat}"]) == a.budget.get(cat, Decimal(0))
        assert row["title"] == a.title or row["title"] == "'" + a.title
        assert row["jurisdictions"].split(";") == list(a.jurisdictions)
        assert ("resolution 1244 (1999)" in row["jurisdiction_note"]) == ("XKX" in
                                                                          a.jurisdictions)
        assert (row["status"], row["output"], row["lead_office"]) == (
            a.status, a.output_code, a.lead_office)  # fmt: skip
    assert sum(Decimal(r["total"]) for r in rows if r["status"] != "cancelled") == \
        grand_total(demo.activities)


def test_exports_refused_for_other_roles(demo) -> None:  # noqa: ANN001
    from rpsee.domain.roles import PermissionDenied

    for role in (Role.PSC_MEMBER, Role.ADMIN, Role.OBSERVER):
        user = CurrentUser("x", "X", role, "AUT" if role is Role.OBSERVER else None)
        with pytest.raises(PermissionDenied):
            finance_exports.build_workbook(user, demo.plan.id, url=demo.url)
        with pytest.raises(PermissionDenied):
            finance_exports.activities_csv(user, demo.plan.id, url=demo.url)
    with pytest.raises(finance_exports.ExportError, match="does not exist"):
        finance_exports.activities_csv(PLANNER, 999, url=demo.url)


def test_export_from_the_terminal(demo, tmp_path, monkeypatch, capsys) -> None:  # noqa: ANN001
    from rpsee.__main__ import main

    monkeypatch.setenv("DATABASE_URL", demo.url)
    out = tmp_path / "tables.xlsx"
    assert main(["export", "workbook", "--year", "2026", "--scenario", "Tight year",
                 "--out", str(out)]) == 0  # fmt: skip
    assert "2026 workplan, version 1" in capsys.readouterr().out
    cover = load_workbook(out)["Cover"]
    texts = [c.value for row in cover.iter_rows() for c in row]
    assert "2026, version 1" in texts and any(
        isinstance(t, str) and t.startswith("Tight year") for t in texts)
    assert main(["export", "csv", "--year", "2026", "--out", str(tmp_path / "a.csv")]) == 0
    assert (tmp_path / "a.csv").read_bytes() == finance_exports.activities_csv(
        PLANNER, demo.plan.id, url=demo.url)
    assert main(["export", "workbook", "--year", "2026", "--version", "7"]) == 1
    assert "no version 7" in capsys.readouterr().err
    assert main(["export", "workbook", "--year", "2026", "--scenario", "Nope"]) == 1
    assert "No frozen scenario named 'Nope'" in capsys.readouterr().err
    assert main(["export", "csv", "--year", "2031"]) == 1


def test_libreoffice_opens_the_workbook(demo, tmp_path) -> None:  # noqa: ANN001
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        missing("LibreOffice is not installed (apt install libreoffice-calc-nogui)",
                "RPSEE_REQUIRE_LIBREOFFICE")
    src = tmp_path / "tables.xlsx"
    src.write_bytes(demo.data)
    result = subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(src)],
        capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    pdf = tmp_path / "pdf" / "tables.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.stat().st_size > 10_000, result.stdout + result.stderr
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    total = grand_total(demo.activities)
    assert f"{total:,.2f}" in text  # the workplan's total, as LibreOffice formats it
    assert "Kosovo*" in text
    assert "###" not in text  # every column wide enough for its figures
    assert "USD 0.00" not in text and " – " in text  # a zero prints as a dash
    assert all(round(float(min(p.mediabox.width, p.mediabox.height))) == 595
               and round(float(max(p.mediabox.width, p.mediabox.height))) == 842
               for p in PdfReader(pdf).pages)  # every page A4  # fmt: skip
