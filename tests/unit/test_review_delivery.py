"""Delivery against budget: rates checked by hand on a small example (the arithmetic in the
comments), Total rows equal to the sums of their rows, grants assigned as stated, the burn line,
the warnings and results-and-money side by side."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rpsee.domain.pipeline import Contribution, ExchangeRate, rate_table
from rpsee.domain.review.delivery import (
    UNASSIGNED,
    by_cost_category,
    by_donor_grant,
    by_lead_office,
    by_programme_output,
    by_thematic_area,
    by_year,
    delivery_warnings,
    grant_of,
    monthly_burn,
    results_and_money,
    year_delivery,
)
from rpsee.domain.review.expenditure import ExpenditureLine
from rpsee.domain.tables import Kind, RowKind, Table, is_total_label
from rpsee.domain.workplan import Activity
from rpsee.store.data_files import load_reference

D = Decimal
EU, LCIF = "EU regional action (test)", "LCIF grant (test)"


@pytest.fixture(scope="module")
def ref():  # noqa: ANN201
    return load_reference()


def act(output: str, office: str, budget: dict[str, str], source: str | None = None,
        status: str = "planned") -> Activity:  # fmt: skip
    return Activity(f"2025-{output}-001", "A line", output, ("ALB",), office, None, 1, 12,
                    {k: D(v) for k, v in budget.items()}, funding_source=source,
                    status=status)  # fmt: skip


def spend(output: str, office: str, category: str, usd: str, month: int = 3, year: int = 2025,
          grant: str = EU) -> ExpenditureLine:  # fmt: skip
    return ExpenditureLine(2, grant, "W", "F", category, "USD", year, month, D(usd), D(usd),
                           output, office, "ALB")  # fmt: skip


# Budget 2025: 1.1 BEG 60,000 (TRAVEL 40,000 + GOC 20,000, LCIF) ; 2.1 SAR 100,000
# (CONTRACTUAL, EU) ; 2.2 SAR 40,000 (TRAVEL, no source) ; a cancelled 2.2 line of 999,999 that
# counts for nothing. Total budget 200,000.
PLAN = [
    act("1.1", "BEG", {"TRAVEL": "40000", "GOC": "20000"}, "LCIF"),
    act("2.1", "SAR", {"CONTRACTUAL": "100000"}, EU),
    act("2.2", "SAR", {"TRAVEL": "40000"}),
    act("2.2", "SAR", {"TRAVEL": "999999"}, status="cancelled"),
]
# Spent 2025: 1.1 BEG 30,000 (TRAVEL 33,000 then a reversal of -3,000) ; 2.1 SAR 75,500.50 ;
# 2.2 SKP 50,000 (an office other than the lead) ; a 2024 line not counted. Total 155,500.50.
SPENT = [
    spend("1.1", "BEG", "TRAVEL", "33000", grant=LCIF, month=2),
    spend("1.1", "BEG", "TRAVEL", "-3000", grant=LCIF, month=5),
    spend("2.1", "SAR", "CONTRACTUAL", "75500.50", month=6),
    spend("2.2", "SKP", "TRAVEL", "50000", month=6),
    spend("2.1", "SAR", "TRAVEL", "123456", year=2024, month=12),
]
GRANTS = [
    Contribution(None, "EU", EU, "EUR", {2024: D("100000"), 2025: D("100000")}, "hard"),
    Contribution(None, "LCIF", LCIF, "USD", {2025: D("50000")}, "hard"),
]


def cells(table: Table, label_start: str) -> tuple:
    return next(r.cells for r in table.body() if r.label.startswith(label_start))


def assert_totals_are_sums(table: Table) -> None:
    total = table.total_row()
    assert total is not None and is_total_label(total.label)
    items = [r for r in (*table.rows, *table.special_rows)]
    for i, col in enumerate(table.columns):
        if col.kind is Kind.MONEY:
            assert total.cells[i] == sum((r.cells[i] for r in items), D(0)), col.name


def test_by_thematic_area_by_hand(ref) -> None:  # noqa: ANN001
    t = by_thematic_area(PLAN, SPENT, 2025, ref)
    # Area 1: 30,000 / 60,000 = 50.00%. Area 2: (75,500.50 + 50,000) / 140,000 = 125,500.50 /
    # 140,000 = 89.6432...% -> 89.64%. Areas 3-5: no budget, nothing spent (shown, rate blank).
    assert cells(t, "1.") == (cells(t, "1.")[0], D("60000.00"), D("30000.00"), D("50.00"))
    assert cells(t, "2.")[1:] == (D("140000.00"), D("125500.50"), D("89.64"))
    assert cells(t, "3.")[1:] == (D("0.00"), D("0.00"), None)
    # Total: 155,500.50 / 200,000 = 77.75025% -> 77.75%
    assert t.total_row().cells[1:3] == (D("200000.00"), D("155500.50"))
    assert "Delivery rate of the total: 77.75%." in t.notes
    assert_totals_are_sums(t)
    assert [c.kind for c in t.columns] == [Kind.TEXT, Kind.MONEY, Kind.MONEY, Kind.PERCENT]


def test_by_output_office_and_category_by_hand(ref) -> None:  # noqa: ANN001
    out = by_programme_output(PLAN, SPENT, 2025, ref)
    # 2.1: 75,500.50 / 100,000 = 75.50%; 2.2: 50,000 / 40,000 = 125.00% (overspent)
    assert cells(out, "2.1")[1:] == (D("100000.00"), D("75500.50"), D("75.50"))
    assert cells(out, "2.2")[1:] == (D("40000.00"), D("50000.00"), D("125.00"))
    assert len(out.rows) == 3  # outputs with neither budget nor spending are left out
    office = by_lead_office(PLAN, SPENT, 2025, ref)
    names = ref.office_names()
    # Sarajevo leads 140,000 and spent 75,500.50 = 53.93% (75,500.50 / 140,000 = 0.539289);
    # Skopje spent 50,000 with no budget of its own: rate blank.
    assert cells(office, names["SAR"])[1:] == (D("140000.00"), D("75500.50"), D("53.93"))
    assert cells(office, names["SKP"])[1:] == (D("0.00"), D("50000.00"), None)
    cat = by_cost_category(PLAN, SPENT, 2025, ref)
    # Travel: budget 40,000 + 40,000 = 80,000; spent 33,000 - 3,000 + 50,000 = 80,000: 100.00%
    assert cells(cat, "Travel")[1:] == (D("80000.00"), D("80000.00"), D("100.00"))
    assert len(cat.rows) == len(ref.cost_categories)
    for t in (out, office, cat):
        assert_totals_are_sums(t)
        assert t.total_row().cells[1:3] == (D("200000.00"), D("155500.50"))


def test_grants_are_assigned_by_reference_or_by_the_donors_only_grant() -> None:
    assert grant_of(PLAN[1], GRANTS) == EU  # the reference itself
    assert grant_of(PLAN[0], GRANTS) == LCIF  # the donor code of a donor with one grant
    assert grant_of(PLAN[2], GRANTS) is None  # no funding source
    two = [*GRANTS, Contribution(None, "EU", "EU second (test)", "EUR", {2025: D(1)}, "hard")]
    assert grant_of(act("2.1", "SAR", {}, "EU"), two) is None  # which of the EU's two?


def test_by_donor_grant_by_hand(ref) -> None:  # noqa: ANN001
    t = by_donor_grant(PLAN, SPENT, 2025, GRANTS)
    # EU: 75,500.50 + 50,000 = 125,500.50 spent of 100,000 = 125.50%
    # LCIF: 30,000 of 60,000 = 50.00%; Unassigned: the 2.2 line's 40,000, nothing spent
    assert cells(t, EU)[1:] == (D("100000.00"), D("125500.50"), D("125.50"))
    assert cells(t, LCIF)[1:] == (D("60000.00"), D("30000.00"), D("50.00"))
    special = t.special_rows[0]
    assert special.kind is RowKind.SPECIAL and special.cells == (UNASSIGNED, D("40000.00"),
                                                                 D("0.00"), None)
    assert_totals_are_sums(t)
    assert t.total_row().cells[1:3] == (D("200000.00"), D("155500.50"))


def test_the_year_against_budget_and_funds_available() -> None:
    t = year_delivery(PLAN, SPENT, 2025, funds_available=D("311001.00"))
    # 155,500.50 / 200,000 = 77.75%; 155,500.50 / 311,001 = 0.5000 -> 50.00%
    assert [r.cells[1:] for r in t.body()] == [
        (D("200000.00"), D("155500.50"), D("77.75")),
        (D("311001.00"), D("155500.50"), D("50.00")),
    ]
    assert t.total_row() is None


def test_by_year_by_hand() -> None:
    t = by_year(SPENT, {2025: D("200000")}, {2024: D("100000"), 2025: D("311001")})
    # 2024: 123,456 of no budget (blank) and of 100,000 funds = 123.456% -> 123.46%
    # 2025: 155,500.50 / 200,000 = 77.75%; / 311,001 = 50.00%
    assert [r.cells for r in t.rows] == [
        ("2024", D("0.00"), D("100000"), D("123456.00"), None, D("123.46")),
        ("2025", D("200000"), D("311001"), D("155500.50"), D("77.75"), D("50.00")),
    ]
    # Total: 278,956.50 / 200,000 = 139.47825% -> 139.48%; / 411,001 = 67.8725...% -> 67.87%
    assert t.total_row().cells[1:4] == (D("200000.00"), D("411001.00"), D("278956.50"))
    assert "139.48% of the budget, 67.87% of the funds available" in t.notes[-1]
    assert_totals_are_sums(t)


def test_monthly_burn_by_hand() -> None:
    burn = monthly_burn(SPENT, 2025, D("200000"))
    # cumulative: Feb 33,000; May 30,000 (the reversal); Jun 155,500.50; linear 200,000 x m / 12
    assert burn[0] == (1, D("0.00"), D("16666.67"))
    assert burn[1] == (2, D("33000.00"), D("33333.33"))
    assert burn[4] == (5, D("30000.00"), D("83333.33"))
    assert burn[5] == (6, D("155500.50"), D("100000.00"))
    assert burn[-1] == (12, D("155500.50"), D("200000.00"))
    half = monthly_burn(SPENT, 2024, D("60000"), first_month=7)  # July-December: 10,000 a month
    assert [m for m, _s, _p in half] == [7, 8, 9, 10, 11, 12]
    assert half[0][2] == D("10000.00") and half[-1] == (12, D("123456.00"), D("60000.00"))


def test_warnings_for_grants_ending_and_outputs_ahead() -> None:
    rates = rate_table([ExchangeRate("EUR", D("1.0705"), date(2024, 6, 28))])
    budgets = {"1.1": D("60000"), "2.1": D("100000"), "2.2": D("40000")}
    found = delivery_warnings(SPENT, GRANTS, budgets, date(2025, 6, 30), rates=rates)
    # EU ends 31 Dec 2025, 6 months away: 200,000 EUR x 1.0705 = 214,100 less 75,500.50 +
    # 50,000 + 123,456 = 248,956.50 spent: overspent, no warning. LCIF: 50,000 - 30,000 = 20,000
    # unspent. By June (6/12): 1.1 path 30,000, spent 30,000; 2.1 path 50,000, spent 75,500.50
    # (51% ahead); 2.2 path 20,000, spent 50,000.
    assert found == [
        "LCIF grant (test) ends on 31 December 2025 (6 month(s) from now) with USD 20,000.00 "
        "unspent of USD 50,000.00.",
        "Output 2.1: USD 75,500.50 spent by June 2025, ahead of the linear path (USD 50,000.00, "
        "6/12 of USD 100,000.00) by more than 10%.",
        "Output 2.2: USD 50,000.00 spent by June 2025, ahead of the linear path (USD 20,000.00, "
        "6/12 of USD 40,000.00) by more than 10%.",
    ]
    assert delivery_warnings(SPENT, GRANTS, budgets, date(2025, 5, 31), rates=rates,
                             ahead_percent=D(1000)) == []  # 7 months left, 1,000% allowed
    no_budget = delivery_warnings(SPENT, [], {}, date(2025, 12, 31), rates=rates)
    assert no_budget[0] == "Output 1.1: USD 30,000.00 spent in 2025 with no approved budget."


def test_results_and_money_side_by_side(ref) -> None:  # noqa: ANN001
    status = {"1.1": "▲ On track", "3.2": "● Achieved"}
    t = results_and_money(PLAN, SPENT, 2025, ref, status)
    assert cells(t, "1.1")[1:] == (D("60000.00"), D("30000.00"), D("50.00"), "▲ On track", None)
    assert cells(t, "2.1")[4:] == (None, "Money spent, no result reported")
    assert cells(t, "3.2")[1:] == (D("0.00"), D("0.00"), None, "● Achieved",
                                   "Result reported, no money spent")
    assert len(t.rows) == len(ref.outputs)
    assert_totals_are_sums(t)


def test_the_review_domain_imports_no_framework() -> None:
    """Pure domain: neither Streamlit, SQLAlchemy nor a file library (the reader is a service)."""
    import subprocess
    import sys

    code = ("import sys, rpsee.domain.review.expenditure, rpsee.domain.review.delivery; "
            "loaded = [m for m in ('streamlit', 'sqlalchemy', 'openpyxl', 'pandas') "
            "if m in sys.modules]; assert not loaded, loaded")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
