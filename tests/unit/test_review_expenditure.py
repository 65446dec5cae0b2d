"""Expenditure import: every refusal names the spreadsheet row and the column; reversals kept;
USD checked by hand; re-importing a period replaces it (a property); the file reader refuses
damaged files with a message; the demo extract reads with exactly its unmapped WBS elements."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpsee.domain.money import AmountError, parse_amount
from rpsee.domain.pipeline import ExchangeRate, rate_table
from rpsee.domain.review.expenditure import (
    EXTRACT_COLUMNS,
    ExpenditureLine,
    ExtractPreview,
    WbsMapping,
    check_mapping,
    parse_period,
    read_amount,
    read_extract,
    replace_periods,
    replacement_table,
    wbs_mappings,
)
from rpsee.services.expenditure_files import ExtractFileError, read_rows
from rpsee.services.pipeline_seed import demo_contributions, demo_rates
from rpsee.store.data_files import load_reference, read_yaml

D = Decimal
ROOT = Path(__file__).resolve().parents[2]
GRANT = "EU IPA regional action (test)"
MAPPING = {"W-1": WbsMapping("W-1", "2.1", "SAR", "BIH"),
           "W-2": WbsMapping("W-2", "1.1", "BEG", "REG")}  # fmt: skip
RATES = rate_table([ExchangeRate("EUR", D("1.0705"), date(2024, 6, 28)),
                    ExchangeRate("GBP", D("1.2645"), date(2024, 6, 28))])  # fmt: skip
CYCLE = (date(2024, 7, 1), date(2029, 12, 31))


@pytest.fixture(scope="module")
def ref():  # noqa: ANN201
    return load_reference()


def good(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {"Grant": GRANT, "WBS element": "W-1", "Fund": "32EUA",
                              "Cost category": "Travel", "Currency": "USD",
                              "Posting period": "2025-03", "Amount": "1,000.00"}  # fmt: skip
    row.update(changes)
    return row


def read(ref, rows: list[dict[str, object]], sha: str = "abc") -> ExtractPreview:  # noqa: ANN001
    return read_extract(rows, sha256=sha, grants=[GRANT], mapping=MAPPING, rates=RATES,
                        cycle=CYCLE, ref=ref)  # fmt: skip


def only_problem(preview: ExtractPreview) -> tuple[int, str, str]:
    assert len(preview.problems) == 1, preview.problems
    p = preview.problems[0]
    return p.row, p.column, p.message


def test_a_good_row_is_read_and_mapped(ref) -> None:  # noqa: ANN001
    p = read(ref, [good()])
    assert p.ok and p.rows_read == 1 and p.periods == ((2025, 3),) and p.sha256 == "abc"
    line = p.lines[0]
    assert (line.row, line.category, line.amount, line.amount_usd) == (2, "TRAVEL", D("1000.00"),
                                                                       D("1000.00"))
    assert (line.output_code, line.office_code, line.jurisdiction) == ("2.1", "SAR", "BIH")


@pytest.mark.parametrize(("column", "value", "says"), [
    ("Grant", "Unknown donor agreement", "not a donor agreement"),
    ("WBS element", "W-9", "not mapped"),
    ("Posting period", "2024-06", "outside the programme cycle"),
    ("Posting period", "2030-01", "outside the programme cycle"),
    ("Posting period", "2025/03", "not a posting period"),
    ("Posting period", "Mar 2025", "not a posting period"),
    ("Posting period", "13/2025", "no month 13"),
    ("Amount", "1.234,56", "comma for decimals"),
    ("Amount", "12.345", "three decimals"),
    ("Amount", "1e5", "scientific notation"),
    ("Amount", "(500.00)", "in brackets"),
    ("Currency", "CHF", "no exchange rate"),
    ("Currency", "euro", "not a currency code"),
    ("Cost category", "Hospitality", "not a UN harmonised cost category"),
    ("Fund", "  ", "is empty"),
    ("Amount", None, "is empty"),
])  # fmt: skip
def test_each_refusal_names_the_row_and_the_column(ref, column: str, value: object,  # noqa: ANN001
                                                   says: str) -> None:  # fmt: skip
    p = read(ref, [good(), good(**{column: value})])
    row, named, message = only_problem(p)
    assert (row, named) == (3, column)  # header = 1, the good row = 2
    assert says in message
    assert not p.ok and len(p.lines) == 1


def test_a_missing_column_is_refused_on_row_1(ref) -> None:  # noqa: ANN001
    rows = [{k: v for k, v in good().items() if k != "Currency"}]
    row, column, message = only_problem(read(ref, rows))
    assert (row, column) == (1, "Currency") and "missing" in message
    assert "no data rows" in only_problem(read(ref, []))[2]


def test_an_unmapped_wbs_element_is_listed_once_for_the_preview(ref) -> None:  # noqa: ANN001
    p = read(ref, [good(**{"WBS element": "W-9"}), good(**{"WBS element": "W-8"}),
                   good(**{"WBS element": "W-9"})])  # fmt: skip
    assert p.unmapped_wbs == ("W-9", "W-8")
    assert [(x.row, x.column) for x in p.problems] == [(2, "WBS element"), (3, "WBS element"),
                                                       (4, "WBS element")]


def test_several_problems_of_a_row_are_each_named(ref) -> None:  # noqa: ANN001
    p = read(ref, [good(Grant="X", Amount="abc", Currency="")])
    assert {(x.row, x.column) for x in p.problems} == {(2, "Grant"), (2, "Amount"),
                                                       (2, "Currency")}
    assert str(p.problems[0]).startswith("Row 2, Grant: ")


def test_a_reversal_is_accepted_and_stays_negative(ref) -> None:  # noqa: ANN001
    p = read(ref, [good(Amount="2000.00"), good(Amount="-2,000.00")])
    assert p.ok and [x.amount_usd for x in p.lines] == [D("2000.00"), D("-2000.00")]
    assert p.total_usd == D("0.00") and p.reversals == (p.lines[1],)


def test_usd_conversion_by_hand(ref) -> None:  # noqa: ANN001
    p = read(ref, [good(Currency="EUR", Amount="1234.56"), good(Currency="eur", Amount="0.07"),
                   good(Currency="GBP", Amount="10.10"), good(Currency="EUR", Amount="10.00"),
                   good(Currency="EUR", Amount="-10.00")])  # fmt: skip
    assert p.ok
    # 1234.56 x 1.0705 = 1234.56 + 87.03648 = 1321.59648 -> 1321.60
    # 0.07 x 1.0705 = 0.074935 -> 0.07
    # 10.10 x 1.2645 = 12.77145 -> 12.77
    # 10.00 x 1.0705 = 10.705, exactly half a cent -> 10.71; -10.00 -> -10.71 (halves away
    # from zero: a reversal converts to exactly minus its original)
    assert [x.amount_usd for x in p.lines] == [D("1321.60"), D("0.07"), D("12.77"), D("10.71"),
                                               D("-10.71")]  # fmt: skip
    assert p.lines[1].currency == "EUR" and p.total_usd == D("1334.44")


def test_categories_by_code_or_harmonised_name(ref) -> None:  # noqa: ANN001
    names = ["STAFF", "staff and other personnel costs", "Supplies, Commodities, Materials",
             "Equipment, Vehicles, and Furniture, incl. Depreciation", "contractual",
             "Transfers and Grants to Counterparts", "General Operating and Other Direct Costs"]
    p = read(ref, [good(**{"Cost category": n}) for n in names])
    assert [x.category for x in p.lines] == ["STAFF", "STAFF", "SUPPLIES", "EQUIPMENT",
                                             "CONTRACTUAL", "TRANSFERS", "GOC"]


AMOUNT_TEXT = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,10}\.[0-9]{1,3}\Z"), st.from_regex(r"\A-?0+\.00\Z"),
    st.text(alphabet="-0123456789.,", max_size=14))  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(AMOUNT_TEXT)
def test_the_quick_amount_reading_is_parse_amounts(text: str) -> None:
    try:
        expected = parse_amount(text, field="Amount", row="Row 2", allow_negative=True)
    except AmountError as exc:
        with pytest.raises(AmountError) as got:
            read_amount(text, 2)
        if re.match(r"\s*-\s*-", text):  # the extract's own, more precise refusal of `--5`
            assert "has two signs" in str(got.value)
        else:
            assert str(got.value) == str(exc)
        return
    got_amount = read_amount(text, 2)
    assert got_amount == expected and str(got_amount) == str(expected)


def test_the_period_forms_accepted() -> None:
    assert parse_period("2025-03") == parse_period("03/2025") == parse_period("3/2025") == (
        2025, 3)  # fmt: skip
    assert parse_period(datetime(2025, 3, 1)) == parse_period(date(2025, 3, 17)) == (2025, 3)
    for bad in ("2025-3", "2025/03", "03.2025", "003/2025", "202503", "March 2025", "2025-00"):
        with pytest.raises(ValueError, match="2025"):
            parse_period(bad)


def test_headers_are_matched_loosely_and_numeric_ids_read_as_text(ref) -> None:  # noqa: ANN001
    row = {k.upper() + " ": v for k, v in good().items()}
    row["GRANT "] = 12345.0
    p = read_extract([row], sha256="x", grants=["12345"], mapping=MAPPING, rates=RATES,
                     cycle=CYCLE, ref=ref)  # fmt: skip
    assert p.ok and p.lines[0].grant == "12345"


def test_blank_rows_are_skipped_but_rows_keep_their_numbers(ref) -> None:  # noqa: ANN001
    blank = dict.fromkeys(EXTRACT_COLUMNS)
    p = read(ref, [good(), blank, good(Amount="x")])
    assert p.rows_read == 2 and only_problem(p)[:2] == (4, "Amount")


def test_the_mapping_is_checked(ref) -> None:  # noqa: ANN001
    assert check_mapping(WbsMapping("W", "2.1", "SAR", "REG"), ref) == []
    problems = check_mapping(WbsMapping("W", "9.9", "XXX", "FRA"), ref)
    assert [p.split(":")[0] for p in problems] == ["Output", "Office", "Jurisdiction"]


# -- re-import: a period imported again is replaced -------------------------------------------

def _line(year: int, month: int, amount: int, row: int = 2) -> ExpenditureLine:
    d = D(amount)
    return ExpenditureLine(row, GRANT, "W-1", "F", "TRAVEL", "USD", year, month, d, d, "2.1",
                           "SAR", "BIH")  # fmt: skip


def _preview(lines: list[ExpenditureLine], extra_periods: list[tuple[int, int]]) -> ExtractPreview:
    periods = tuple(sorted({x.period for x in lines} | set(extra_periods)))
    return ExtractPreview(tuple(lines), (), (), periods, "h", len(lines))


PERIOD = st.tuples(st.integers(2024, 2025), st.integers(1, 12))
LINES = st.lists(st.builds(lambda p, a: _line(p[0], p[1], a), PERIOD,
                           st.integers(-10_000, 10_000)), max_size=30)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(existing=LINES, incoming=LINES, extra=st.lists(PERIOD, max_size=3))
def test_reimport_is_idempotent_and_leaves_other_periods(existing: list[ExpenditureLine],
                                                         incoming: list[ExpenditureLine],
                                                         extra: list[tuple[int, int]]) -> None:
    p = _preview(incoming, extra)
    once = replace_periods(existing, p)
    assert replace_periods(once, p) == once
    covered = set(p.periods)
    assert [x for x in once if x.period not in covered] == [
        x for x in existing if x.period not in covered]  # fmt: skip
    assert [x for x in once if x.period in covered] == incoming
    total = sum((x.amount_usd for x in once), D(0))
    assert total == sum((x.amount_usd for x in existing if x.period not in covered), D(0)) + sum(
        (x.amount_usd for x in incoming), D(0))  # fmt: skip


def test_the_replacement_table_says_what_confirming_does() -> None:
    existing = [_line(2025, 3, 100), _line(2025, 3, 50), _line(2025, 4, 7), _line(2025, 5, 9)]
    p = _preview([_line(2025, 3, 120), _line(2025, 4, -7), _line(2025, 4, 20)], [(2025, 6)])
    t = replacement_table(existing, p)
    # March: 150 now (2 lines), 120 in the file: -30; April: 7 -> 13: +6; May not in the file;
    # June in the file with no line: 0 -> 0
    assert [r.cells for r in t.rows] == [
        ("2025-03", 2, D(150), 1, D(120), D(-30)),
        ("2025-04", 1, D(7), 2, D(13), D(6)),
        ("2025-06", 0, D("0.00"), 0, D("0.00"), D("0.00")),
    ]
    assert t.total_row().cells[1:] == (3, D(157), 3, D(133), D(-24))
    again = replacement_table(replace_periods(existing, p), p)
    assert all(r.cells[-1] == 0 for r in again.rows)  # a second import changes nothing


def test_a_preview_with_problems_is_not_imported(ref) -> None:  # noqa: ANN001
    p = read(ref, [good(Amount="x")])
    with pytest.raises(ValueError, match="without problems"):
        replace_periods([], p)
    assert replace_periods([_line(2025, 3, 5)], replace(p, problems=())) == []


# -- the file reader --------------------------------------------------------------------------

CSV = ("Grant,WBS element,Fund,Cost category,Currency,Posting period,Amount\r\n"
       f"{GRANT},W-1,32EUA,Travel,EUR,03/2025,\"1,234.56\"\r\n"
       "\r\n"
       f"{GRANT},W-2,32EUA,Travel,USD,2025-04,-10.00\r\n\r\n")  # fmt: skip


def test_csv_with_and_without_bom_reads_the_same(ref) -> None:  # noqa: ANN001
    rows, sha = read_rows(CSV.encode(), "extract.csv")
    bom_rows, bom_sha = read_rows(b"\xef\xbb\xbf" + CSV.encode(), "EXTRACT.CSV")
    assert rows == bom_rows and sha != bom_sha and len(sha) == 64
    assert len(rows) == 3 and rows[1] == dict.fromkeys(EXTRACT_COLUMNS)  # trailing blank dropped
    p = read(ref, rows)
    assert p.ok and [x.row for x in p.lines] == [2, 4] and p.lines[0].amount == D("1234.56")


def test_a_semicolon_csv_is_read_by_its_header() -> None:
    rows, _sha = read_rows(CSV.replace(",", ";").replace('"1;234.56"', "1234.56").encode(),
                           "x.csv")  # fmt: skip
    assert rows[0]["Amount"] == "1234.56"


def test_a_latin1_csv_is_refused_with_a_message() -> None:
    data = CSV.replace("EU IPA", "Österreich").encode("latin-1")
    with pytest.raises(ExtractFileError, match=r"not UTF-8 \(byte 0xd6 on line 2"):
        read_rows(data, "x.csv")


@pytest.mark.parametrize(("data", "name", "says"), [
    (b"", "x.csv", "empty"),
    (b"a,b\r\n1,2\r\n", "x.txt", "neither a .csv nor an .xlsx"),
    (b"Grant,Grant\r\n1,2\r\n", "x.csv", "Grant twice"),
    (b",,\r\n1,2,3\r\n", "x.csv", "Row 1 is empty"),
    (b'Grant,Amount\r\n"open,1\r\n', "x.csv", "malformed"),
    (b"Grant\x00,Amount\r\n", "x.csv", "NUL"),
    (b"not a zip at all", "x.xlsx", "not an Excel workbook"),
])  # fmt: skip
def test_malformed_files_are_refused_with_a_message(data: bytes, name: str, says: str) -> None:
    with pytest.raises(ExtractFileError, match=says):
        read_rows(data, name)


def _xlsx(rows: list[list[object]], sheets: tuple[str, ...] = ("Sheet1",)) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = sheets[0]
    for name in sheets[1:]:
        wb.create_sheet(name)
    ws = wb[sheets[-1]]
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX_ROWS = [list(EXTRACT_COLUMNS), [GRANT, "W-1", "32EUA", "TRAVEL", "EUR", datetime(2025, 3, 1),
                                     1234.56], [None] * 7, [GRANT, "W-2", "F", "Travel", "USD",
                                                            "2025-04", -10]]  # fmt: skip


def test_xlsx_is_read_from_the_sheet_named_like_the_extract(ref) -> None:  # noqa: ANN001
    rows, _sha = read_rows(_xlsx(XLSX_ROWS, ("Notes", "Expenditure")), "x.xlsx")
    p = read(ref, rows)
    assert p.ok and [x.row for x in p.lines] == [2, 4]
    assert p.lines[0].amount_usd == D("1321.60") and p.lines[1].amount_usd == D("-10.00")


def test_a_truncated_xlsx_is_refused_with_a_message() -> None:
    data = _xlsx(XLSX_ROWS)
    with pytest.raises(ExtractFileError, match="damaged or cut short"):
        read_rows(data[: len(data) // 2], "x.xlsx")


def test_an_xlsx_with_a_damaged_sheet_is_refused_with_a_message() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx(XLSX_ROWS))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            dst.writestr(item, body[:40] if item.filename.endswith("sheet1.xml") else body)
    with pytest.raises(ExtractFileError, match=r"\(.xlsx\) that could be read \(ParseError\)"):
        read_rows(out.getvalue(), "x.xlsx")


# -- the demo extract --------------------------------------------------------------------------

def test_the_demo_extract_reads_with_exactly_its_unmapped_wbs_elements(ref) -> None:  # noqa: ANN001
    doc = read_yaml("demo/expenditure.yaml")
    assert doc["label"].startswith("ILLUSTRATIVE")
    mapping = wbs_mappings(doc["wbs_mapping"])
    assert all(check_mapping(m, ref) == [] for m in mapping.values())
    pipeline = read_yaml("pipeline.yaml")
    grants = [c.reference for c in demo_contributions(pipeline) if c.status == "hard"]
    rows, sha = read_rows((ROOT / "data" / "demo" / doc["file"]).read_bytes(), doc["file"])
    p = read_extract(rows, sha256=sha, grants=grants, mapping=mapping, cycle=CYCLE, ref=ref,
                     rates=rate_table(demo_rates(pipeline)))  # fmt: skip
    assert p.unmapped_wbs == ("SEER25-2.6-SKP-MKD", "SEER25-1.1-PGD-MNE", "SEER25-5.2-VIE-REG")
    assert tuple(doc["unmapped_wbs"]) == p.unmapped_wbs
    assert {x.column for x in p.problems} == {"WBS element"}
    assert p.periods[0] == (2024, 7) and p.periods[-1] == (2025, 12) and len(p.periods) == 18
    assert {x.grant for x in p.lines} == set(grants)
    assert [x.amount for x in p.lines if x.amount < 0] and len(
        [x for x in p.lines if x.amount < 0]) == 1  # fmt: skip
    by_year = {y: sum((x.amount_usd for x in p.lines if x.year == y), D(0)) for y in (2024, 2025)}
    assert D(3_500_000) < by_year[2024] < D(4_500_000)  # July-December 2024
    assert D(7_000_000) < by_year[2025] < D(9_000_000)  # near 2023's USD 7.3M, under USD 11M


# -- a hostile-cell corpus: each cell refused naming row 2 and its column, or read exactly ------

REFUSED = object()
HOSTILE = [
    ("Amount", "NaN", REFUSED), ("Amount", "-inf", REFUSED), ("Amount", float("nan"), REFUSED),
    ("Amount", float("inf"), REFUSED), ("Amount", D("NaN"), REFUSED), ("Amount", "1e308", REFUSED),
    ("Amount", "١٢٣.٠٠", REFUSED), ("Amount", "１２３.00", REFUSED),
    ("Amount", "12\u200b34.00", REFUSED),
    ("Amount", "=1+1", REFUSED), ("Amount", "--5", REFUSED), ("Amount", "0x10", REFUSED),
    ("Amount", "1_000.00", REFUSED), ("Amount", True, REFUSED), ("Amount", 10**30, REFUSED),
    ("Amount", "1000000000.01", REFUSED), ("Amount", datetime(2025, 3, 1), REFUSED),
    ("Amount", "x" * 10_000, REFUSED), ("Amount", 0.1 + 0.2, REFUSED),
    ("Amount", "+1,000.00", D("1000.00")), ("Amount", "-0.00", D("0.00")),
    ("Amount", 1234.5, D("1234.50")), ("Amount", -7, D("-7.00")),
    ("Amount", "1 000 000.00", D("1000000.00")), ("Amount", "USD 12.30", REFUSED),
    ("Amount", "+-100", REFUSED), ("Amount", "$10", REFUSED),
    ("Posting period", "2025-03-01", REFUSED), ("Posting period", "２０２５-03", REFUSED),
    ("Posting period", "2025-03\u200b", REFUSED), ("Posting period", "0/2025", REFUSED),
    ("Posting period", "03/0000", REFUSED), ("Posting period", 2025.0, REFUSED),
    ("Posting period", 202503, REFUSED), ("Posting period", "=NOW()", REFUSED),
    ("Posting period", " 2025-03 ", (2025, 3)),
    ("Grant", f"{GRANT}\u200b", REFUSED), ("Grant", f"={GRANT}", REFUSED),
    ("Grant", "G" * 10_000, REFUSED), ("Grant", f"  {GRANT}  ", GRANT),
    ("WBS element", "W-1\u200b", REFUSED), ("WBS element", "w-1", REFUSED),
    ("WBS element", "W-1 ", "W-1"),
    ("Currency", "€", REFUSED), ("Currency", "US D", REFUSED), ("Currency", "usd", "USD"),
    ("Cost category", "Тravel", REFUSED), ("Cost category", "Travel; DROP TABLE", REFUSED),
    ("Cost category", " travel ", "TRAVEL"),
    ("Fund", "=cmd|' /C calc'!A0", REFUSED), ("Fund", "F" * 21, REFUSED),
    ("Fund", "32\nEUA", REFUSED), ("Fund", " 32EUA ", "32EUA"),
]  # fmt: skip
FIELD = {"Amount": "amount", "Posting period": "period", "Grant": "grant", "WBS element": "wbs",
         "Currency": "currency", "Cost category": "category", "Fund": "fund"}  # fmt: skip


@pytest.mark.parametrize(("column", "value", "outcome"), HOSTILE)
def test_a_hostile_cell_is_refused_by_row_and_column_or_read_exactly(
    ref, column: str, value: object, outcome: object,  # noqa: ANN001
) -> None:  # fmt: skip
    p = read(ref, [good(**{column: value})])
    if outcome is REFUSED:
        row, named, message = only_problem(p)
        assert (row, named) == (2, column) and message and len(message) < 400
        assert not p.lines
    else:
        assert p.ok, p.problems
        assert getattr(p.lines[0], FIELD[column]) == outcome
