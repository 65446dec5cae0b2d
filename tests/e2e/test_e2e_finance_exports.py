"""A real browser: finance downloads the budget tables workbook and the activity CSV of the
version shown on the Workplans page's Excel tab (built on click by the checked services)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_and_wait, open_page, settled


def choose(page, label: str, option: str) -> None:  # noqa: ANN001
    """Pick `option` in the page's selectbox `label` and wait until it shows."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    settled(page)
    expect(box).to_have_value(option, timeout=15000)


def download_workbook(page, version: str | None = None):  # noqa: ANN001, ANN201
    """On the Workplans page's Excel tab: the budget tables workbook of the version shown (or
    of `version`, picked by its name in the selector first), as (the workbook, its cover as
    label -> value, year, "v<version>")."""
    open_page(page, "Workplans", "Annual workplans")
    if version is not None:
        choose(page, "Workplan", version)
    page.get_by_role("tab", name="Excel").click()
    settled(page)
    with page.expect_download(timeout=60000) as got:
        page.get_by_role("button", name="Budget tables (.xlsx)").click()
    download = got.value
    assert download.suggested_filename.startswith("RPSEE_tables_")
    book = load_workbook(io.BytesIO(download.path().read_bytes()))
    cover = {r[0]: r[1] for r in book["Cover"].iter_rows(values_only=True) if r and r[0]}
    year, version = download.suggested_filename.removesuffix(".xlsx").split("_")[2:]
    return book, cover, year, version


def test_finance_downloads_the_workbook_and_the_csv(server, context) -> None:  # noqa: ANN001
    page = context.new_page()
    log_in_and_wait(page, server.url, "demo.finance")
    book, cover, year, version = download_workbook(page)
    assert cover["Workplan"] == f"{year}, version {version.removeprefix('v')}"
    assert cover["Made by"].endswith("(demo.finance, finance)")
    assert "Activities" in book.sheetnames and "Area x category" in book.sheetnames
    with page.expect_download(timeout=60000) as got:
        page.get_by_role("button", name="Activities (.csv)").click()
    data = got.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    codes = [ws_row[0] for ws_row in book["Activities"].iter_rows(min_row=3, values_only=True)
             if isinstance(ws_row[0], str) and ws_row[0].startswith(f"{year}-")]  # fmt: skip
    assert sorted(r["code"] for r in rows) == sorted(codes)
