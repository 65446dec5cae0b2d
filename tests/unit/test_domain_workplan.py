"""Workplan rules: parsing and checking lines, codes, copy forward, totals that add up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rpsee.domain.allocation import split_cents
from rpsee.domain.workplan import Activity, diff_activities, next_code
from rpsee.domain.workplan_copy import copy_forward
from rpsee.domain.workplan_rules import Codebook, parse_row, parse_rows
from rpsee.domain.workplan_totals import (
    by_area,
    by_category,
    by_jurisdiction,
    by_office,
    by_output,
    by_quarter,
    coverage,
    grand_total,
)
from rpsee.store.data_files import load_reference

REF = load_reference()
BOOK = Codebook.for_year(REF, 2026)


def raw(**kw):  # noqa: ANN003, ANN201
    row = {"title": "Regional workshop on asset recovery", "output_code": "3.5",
           "jurisdictions": "ALB; SRB", "lead_office": "BEG", "position_id": "SC_001",
           "start_month": 3, "end_month": 4, "budget_TRAVEL": 12000.5,
           "budget_CONTRACTUAL": "8,000", "priority": "high", "indicators": ["3.5.a"],
           "gem": 2, "marker_note": "Women investigators are half of the trainees.",
           "status": "planned"}  # fmt: skip
    row.update(kw)
    return row


def act(code: str, output: str, budget: dict[str, str], jur=("ALB",), months=(1, 1),
        office="BEG", status="planned") -> Activity:  # fmt: skip
    title = code or f"Activity for output {output}"
    return Activity(code=code, title=title, output_code=output, jurisdictions=tuple(jur),
                    lead_office=office, position_id="P_001", start_month=months[0],
                    end_month=months[1], status=status,
                    budget={k: Decimal(v) for k, v in budget.items()})  # fmt: skip


def test_a_good_line_is_read_exactly() -> None:
    a, errors = parse_row(raw(), "Row 1", BOOK)
    assert errors == []
    assert a.jurisdictions == ("ALB", "SRB")
    assert a.budget == {"TRAVEL": Decimal("12000.50"), "CONTRACTUAL": Decimal("8000.00")}
    assert a.total == Decimal("20000.50") and a.area_code == "3"


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"output_code": "9.9"}, "Output", "unknown output code '9.9'"),
        ({"output_code": ""}, "Output", "is missing"),
        ({"budget_TRAVEL": -5}, "Budget – Travel", "negative"),
        ({"budget_TRAVEL": "twelve"}, "Budget – Travel", "not a number"),
        ({"budget_TRAVEL": float("inf")}, "Budget – Travel", "finite"),
        ({"start_month": 13}, "Start month", "outside the 2026 workplan"),
        ({"end_month": "Feb"}, "End month", "before the start month"),
        ({"title": "  "}, "Title", "is missing"),
        ({"jurisdictions": []}, "Jurisdictions", "at least one jurisdiction"),
        ({"jurisdictions": "ALB; XYZ"}, "Jurisdictions", "unknown code(s) XYZ"),
        ({"lead_office": "PAR"}, "Lead office", "unknown office"),
        ({"position_id": "P_999"}, "Responsible position", "unknown position"),
        ({"indicators": ["1.1.a"]}, "Indicators", "belongs to output 1.1, not 3.5"),
        ({"gem": 4}, "GEM", "use 0, 1, 2 or 3"),
        ({"dac_gender": 3}, "DAC gender", "use 0, 1 or 2"),
        ({"dac_disability": "1.5"}, "DAC disability", "use 0, 1 or 2"),
        ({"sdg_targets": "16.4; 16.99"}, "SDG targets", "'16.99' is not an SDG target"),
        ({"marker_note": ""}, "Marker justification", "required for GEM 2"),
        ({"gem": 1, "dac_gender": 2, "marker_note": " "}, "Marker justification",
         "required for DAC gender 2"),
        ({"marker_note": "x" * 1001}, "Marker justification", "longer than 1,000 characters"),
        ({"priority": "urgent"}, "Priority", "use one of essential"),
        ({"status": "done"}, "Status", "use one of planned"),
        ({"funding_source": "ACME"}, "Funding source", "unknown donor"),
    ],
)
def test_bad_lines_are_refused_naming_row_and_field(
    change: dict, field: str, fragment: str
) -> None:
    a, errors = parse_row(raw(**change), "Row 7", BOOK)
    assert a is None
    assert any(e.row == "Row 7" and e.field == field and fragment in e.message for e in errors), (
        errors
    )


def test_a_refused_amount_names_row_and_field_once() -> None:
    """The message reads once: the row and field, then the reason quoting the input (no second
    field name inside the reason), in the grid and in the Excel upload alike."""
    _a, errors = parse_row(raw(budget_TRAVEL="1234.567"), "Row 7", BOOK)
    (error,) = [e for e in errors if e.field == "Budget – Travel"]
    assert error.message.startswith("'1234.567' has more than two decimals")
    assert str(error) == f"Row 7, Budget – Travel: {error.message}"


def test_months_of_the_half_year_2024() -> None:
    book = Codebook.for_year(REF, 2024)
    assert book.months == (7, 8, 9, 10, 11, 12)
    _a, errors = parse_row(raw(start_month="Mar", end_month="Apr"), "Row 1", book)
    assert [e.field for e in errors] == ["Start month", "End month"]
    a, errors = parse_row(raw(start_month="July", end_month="Dec"), "Row 1", book)
    assert errors == [] and (a.start_month, a.end_month) == (7, 12)


def test_months_of_the_half_year_2029() -> None:
    book = Codebook.for_year(REF, 2029)
    assert book.months == (1, 2, 3, 4, 5, 6)  # the cycle ends in June 2029
    _a, errors = parse_row(raw(start_month="May", end_month="Sep"), "Row 1", book)
    assert [e.field for e in errors] == ["End month"]


def test_text_with_markup_characters_is_kept_as_typed() -> None:
    title = 'Police & prosecutors <script>alert("x")</script> "joint" training'
    a, errors = parse_row(raw(title=title), "Row 1", BOOK)
    assert errors == [] and a.title == title


def test_duplicate_codes_are_refused() -> None:
    _acts, errors = parse_rows([("Row 1", raw(code="2026-3.5-001")),
                                ("Row 2", raw(code="2026-3.5-001"))], BOOK)  # fmt: skip
    assert [(e.row, e.field) for e in errors] == [("Row 2", "Code")]


def test_codes_are_stable_and_never_reused() -> None:
    taken = {"2026-2.3-001", "2026-2.3-007", "2026-1.1-002", "2025-5.5-004"}
    assert next_code(2026, "2.3", taken) == "2026-2.3-008"
    assert next_code(2027, "2.3", taken) == "2027-2.3-008"  # above the numbers of every year
    assert next_code(2026, "5.5", taken) == "2026-5.5-005"
    assert next_code(2026, "4.1", taken) == "2026-4.1-001"


def test_copy_forward_with_uplift_keeps_the_number() -> None:
    src = [act("2026-2.3-004", "2.3", {"TRAVEL": "10000.00", "GOC": "333.33"}, months=(11, 12),
               status="completed")]  # fmt: skip
    [new] = copy_forward(src, 2026, 2027, tuple(range(1, 13)), Decimal("3"),
                         picked=["2026-2.3-004"])  # fmt: skip
    assert new.line.code == "2027-2.3-004" and new.line.status == "planned" and new.line.id is None
    assert new.line.budget == {"TRAVEL": Decimal("10300.00"), "GOC": Decimal("343.33")}
    assert new.line.notes.startswith("Copied from 2026-2.3-004")


def test_split_cents_adds_up() -> None:
    assert split_cents(100, [1, 1, 1]) == [34, 33, 33]
    assert split_cents(-100, [1, 1, 1]) == [-34, -33, -33]
    assert split_cents(1_000_001, [50, 30, 20]) == [500_001, 300_000, 200_000]
    assert sum(split_cents(99_999, [3, 7, 11, 13])) == 99_999


def test_totals_always_equal_the_sum_of_the_lines() -> None:
    lines = [
        act("a", "1.1", {"TRAVEL": "100.00"}, jur=("ALB", "SRB", "MNE"), months=(1, 4)),
        act(
            "b",
            "2.3",
            {"CONTRACTUAL": "2000.01", "GOC": "0.02"},
            jur=("REG",),
            months=(6, 6),
            office="IST",
        ),
        act("c", "2.3", {"EQUIPMENT": "50000"}, jur=("XKX",), months=(12, 12)),
        act("d", "5.4", {"TRAVEL": "999999"}, status="cancelled"),  # counts nowhere
    ]
    total = grand_total(lines)
    assert total == Decimal("52100.03")
    for breakdown in (by_area, by_output, by_office, by_category, by_jurisdiction, by_quarter):
        assert sum(breakdown(lines).values()) == total, breakdown.__name__
    assert by_jurisdiction(lines)["ALB"] == Decimal("33.34")
    assert by_jurisdiction(lines)["SRB"] == Decimal("33.33")
    assert by_quarter(lines) == {"Q1": Decimal("75.00"), "Q2": Decimal("2025.03"),
                                 "Q4": Decimal("50000.00")}  # fmt: skip
    assert by_area(lines) == {"1": Decimal("100.00"), "2": Decimal("52000.03")}


def test_a_shared_line_s_odd_cents_do_not_pile_up_on_the_first_place_or_month() -> None:
    # Three lines of 1.01 in Albania and Serbia: 3.03 in all, 1.515 each exactly -> 1.52 and
    # 1.51 (the tie to the first code). Line by line, Albania took every odd cent: 1.53, 1.50.
    lines = [act(c, "1.1", {"TRAVEL": "1.01"}, jur=("ALB", "SRB")) for c in "abc"]
    assert by_jurisdiction(lines) == {"ALB": Decimal("1.52"), "SRB": Decimal("1.51")}
    # Three lines of 0.03 over March and April: 0.09, 0.045 a quarter -> 0.05 and 0.04.
    # Line by line, March (Q1) took every odd cent: 0.06 and 0.03.
    lines = [act(c, "1.1", {"TRAVEL": "0.03"}, months=(3, 4)) for c in "abc"]
    assert by_quarter(lines) == {"Q1": Decimal("0.05"), "Q2": Decimal("0.04")}


def test_coverage_lists_what_to_fix() -> None:
    lines = [act("a", "1.1", {}, jur=("ALB",)), act("b", "1.2", {"TRAVEL": "1"}, jur=("REG",))]
    lines.append(Activity(code="c", title="c", output_code="1.3", jurisdictions=("SRB",),
                          lead_office="BEG", position_id=None, start_month=1, end_month=1,
                          budget={"GOC": Decimal("5")}))  # fmt: skip
    cov = coverage(lines, REF)
    assert cov.without_budget == ["a"] and cov.without_position == ["c"]
    assert "2.1" in cov.outputs_without and "1.1" not in cov.outputs_without
    assert len(cov.outputs_without) == 19
    assert set(cov.jurisdictions_without) == {"BIH", "MNE", "MKD", "XKX", "TUR"}


def test_diff_of_lines() -> None:
    old = [act("x", "1.1", {"TRAVEL": "1"}), act("y", "1.2", {"TRAVEL": "2"})]
    new = [act("x", "1.1", {"TRAVEL": "5"}), act("", "2.1", {"GOC": "1"})]
    d = diff_activities(old, new)
    assert [a.code for a in d.removed] == ["y"]
    assert [a.output_code for a in d.added] == ["2.1"]
    [(before, after, changes)] = d.changed
    assert [c.field for c in changes] == ["budget"] and before.code == after.code == "x"
    assert diff_activities(old, old).empty
