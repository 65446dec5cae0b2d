"""A real browser uploads workbooks: a header-only file keeps every line unless removal is
asked and its count typed; hostile header names are shown as typed, never as markup or links."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import expect

from rpsee.reports.workplan_excel import SHEET, TOTAL_HEADER, excel_columns
from rpsee.store.data_files import load_reference
from tests.e2e.conftest import ARTIFACTS, log_in_and_wait, open_page, settled, shot


def _workbook(extra: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    headers = [h for h, _k in excel_columns(load_reference())] + [TOTAL_HEADER]
    for i, h in enumerate([*headers, *([extra] if extra else [])], start=1):
        cell = sheet.cell(row=1, column=i, value=h)
        cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, data: bytes, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = Path(ARTIFACTS) / name
    path.write_bytes(data)
    page.locator("input[type='file']").set_input_files(str(path))
    settled(page)


def test_header_only_keeps_lines_and_hostile_headers_show_as_typed(server, context) -> None:  # noqa: ANN001
    page = context.new_page()
    log_in_and_wait(page, server.url, "demo.planner")
    open_page(page, "Workplans", "Annual workplans")
    page.get_by_role("tab", name="Excel").click()
    settled(page)
    _upload(page, _workbook(), "header-only.xlsx")
    expect(page.get_by_text("Not in the file (kept unless you ask to remove them)")).to_be_visible(
        timeout=15000)  # fmt: skip
    page.get_by_role("button", name="Apply these changes").click()
    settled(page)
    expect(page.get_by_text("Nothing to apply")).to_be_visible(timeout=15000)
    page.get_by_text("Also remove the").click()
    settled(page)
    box = page.get_by_role("textbox", name="Type")
    box.fill("1")
    box.press("Enter")
    settled(page)
    page.get_by_role("button", name="Apply these changes").click()
    settled(page)
    expect(page.get_by_text("You confirmed removing 1 line(s)")).to_be_visible(timeout=15000)
    shot(page, "upload-header-only")

    hostile = "**bold** [phish](https://evil.example) <b>x</b>"
    _upload(page, _workbook(hostile), "hostile-header.xlsx")
    alert = page.get_by_test_id("stAlert").filter(has_text="unknown column")
    expect(alert).to_be_visible(timeout=15000)
    shown = alert.inner_text()
    assert hostile in shown.replace("\u2060", "")  # as typed: no bold, no link
    assert "https\u2060://" in shown  # an invisible word joiner keeps the URL from linking
    expect(alert.locator("a")).to_have_count(0)
    expect(alert.locator("strong")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot(page, "upload-hostile-header")
