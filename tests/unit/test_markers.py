"""Markers: the settings load (and refuse a wrong entry by name), the SDG list equals the
official codelist, a line's markers are read or refused naming the field, the evidence checks
find what the plan does not back, and the shares add up to the plan's total to the cent."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from rpsee.domain.markers.book import MarkerDataError, load_book
from rpsee.domain.markers.evidence import (
    NO_INCLUSION,
    NO_JUSTIFICATION,
    NO_SEX_INDICATOR,
    SDG_OUTSIDE,
    marker_findings,
)
from rpsee.domain.markers.shares import (
    DAC_DISABILITY,
    GEM,
    MARKERS,
    NOT_SCREENED,
    UNATTRIBUTED,
    budget_shares,
    delivery_shares,
)
from rpsee.domain.review.expenditure import ExpenditureLine
from rpsee.domain.workplan_rules import Codebook, parse_row
from rpsee.reports.iati_check import iati_folder
from rpsee.services.demo import demo_rows
from rpsee.store.data_files import load_reference, read_yaml
from tests.unit.test_domain_workplan import act, raw

REF = load_reference()
BOOK = REF.markers
OUTPUTS = tuple(o.code for o in REF.outputs)


def test_the_sdg_targets_are_the_official_codelist() -> None:
    tree = etree.parse(str(iati_folder() / "codelists" / "UNSDG-Targets.xml"))
    official = {i.findtext("code"): " ".join(i.find("name/narrative").text.split())
                for i in tree.iter("codelist-item")}  # fmt: skip
    assert dict(BOOK.sdg_targets) == official and len(official) == 169
    assert BOOK.sdg_targets["16.4"].startswith("By 2030, significantly reduce illicit financial")


def test_the_settings_as_read() -> None:
    assert BOOK.gem[3].startswith("GEM 3 – Principal contribution")
    assert BOOK.goals_of("5.4") == {5, 16} and BOOK.goals_of("1.1") == {3}
    assert BOOK.target_shares == {"gender_equality": Decimal(15),
                                  "disability_inclusion": Decimal(5)}  # fmt: skip
    assert BOOK.needs_justification(2, None, None) == ["GEM 2"]
    assert BOOK.needs_justification(1, 2, 2) == ["DAC gender 2", "DAC disability 2"]
    assert BOOK.needs_justification(1, 1, 1) == []


@pytest.mark.parametrize(("change", "fragment"), [
    ({"output_sdgs": {"9.9": [16]}}, "'9.9' is not an output"),
    ({"output_sdgs": {"1.1": [18]}}, "[18] not SDG goals"),
    ({"target_shares": {"gender_equality": 120, "disability_inclusion": 5}}, "not a percentage"),
    ({"target_shares": {"gender_equality": "lots", "disability_inclusion": 5}}, "not a number"),
    ({"target_shares": {"gender_equality": 15}}, "disability_inclusion is missing"),
    ({"gem": {0: "a", 1: "b", 2: "c"}}, "define every level"),
    ({"dac_gender": {0: "a", 1: "b", 2: "c", 3: "d"}}, "level 3 is not one of"),
    ({"justification_required": {"gem": [4]}}, "levels [4] not in"),
])  # fmt: skip
def test_a_wrong_setting_is_refused_naming_it(change: dict, fragment: str) -> None:
    doc = {**read_yaml("markers.yaml"), **change}
    with pytest.raises(MarkerDataError, match=None) as got:
        load_book(doc, read_yaml("sdg_targets.yaml"), OUTPUTS)
    assert fragment in str(got.value)


def test_an_output_without_sdgs_is_refused() -> None:
    doc = read_yaml("markers.yaml")
    doc["output_sdgs"] = {k: v for k, v in doc["output_sdgs"].items() if k != "5.5"}
    with pytest.raises(MarkerDataError, match="no SDG goal given for output"):
        load_book(doc, read_yaml("sdg_targets.yaml"), OUTPUTS)


def test_markers_are_read_with_blanks_kept_as_not_screened() -> None:
    book = Codebook.for_year(REF, 2026)
    line, errors = parse_row(raw(gem=1, marker_note="", dac_gender=None, dac_disability="",
                                 sdg_targets="16.5; 16.4, 16.5"), "Row 1", book)  # fmt: skip
    assert errors == []
    assert (line.gem, line.dac_gender, line.dac_disability) == (1, None, None)
    assert line.sdg_targets == ("16.5", "16.4")  # in the order typed, once
    old, errors = parse_row({**raw(), "gem": None, "gender_marker": 3}, "Row 2", book)
    assert errors == [] and old.gem == 3  # the former field, read as what it holds


def _line(code: str, output: str, **kw) -> object:  # noqa: ANN003
    return replace(act(code, output, {"TRAVEL": kw.pop("usd", "100.00")}), **kw)


def test_the_evidence_checks_find_what_the_plan_does_not_back() -> None:
    lines = [
        _line("L1", "2.4", gem=2, marker_note="why"),  # no indicator of 2.4 is by sex
        _line("L2", "2.4", gem=1, dac_gender=2, marker_note="why"),
        _line("L3", "1.1", gem=3, marker_note="why"),  # 1.1 is by sex: backed
        _line("L4", "3.2", gem=2),  # not justified (a line saved before the rule)
        _line("L5", "5.2", dac_disability=1),  # no inclusion element
        _line("L6", "5.2", dac_disability=2, inclusion="Ramps", marker_note="why"),
        _line("L7", "2.6", sdg_targets=("16.4", "9.c")),  # 9.c: not under SDG 16
        _line("L8", "2.4", gem=3, status="cancelled"),  # cancelled: covers nothing
    ]
    found = [(f.check, f.what) for f in marker_findings(lines, BOOK, {"1.1"})]
    assert found == [
        (NO_SEX_INDICATOR, "Output 2.4: none of its indicators is disaggregated by sex, yet "
                           "2 line(s) are coded GEM 2-3 or DAC gender 2: L1, L2"),
        (NO_SEX_INDICATOR, "Output 3.2: none of its indicators is disaggregated by sex, yet "
                           "1 line(s) are coded GEM 2-3 or DAC gender 2: L4"),
        (NO_JUSTIFICATION, "L4 · L4: coded GEM 2 without a justification"),
        (NO_INCLUSION, "L5 · L5: DAC disability 1 without a stated reasonable-accommodation or "
                       "inclusion element"),
        (SDG_OUTSIDE, "L7 · L7: target(s) 9.c not under its output 2.6's SDG 16"),
    ]  # fmt: skip
    assert marker_findings(lines[2:3], BOOK, {"1.1"}) == []


def _demo_lines() -> list:
    year, rows = demo_rows()
    book = Codebook.for_year(REF, year)
    return [parse_row(r, label, book)[0] for label, r in rows]


def test_the_demo_shows_each_kind_of_finding() -> None:
    checks = {f.check for f in marker_findings(_demo_lines(), BOOK, {"1.1"})}
    assert checks == {NO_SEX_INDICATOR, NO_INCLUSION, SDG_OUTSIDE}


@pytest.mark.parametrize("by", ["area", "office"])
@pytest.mark.parametrize("marker", MARKERS, ids=lambda m: m.name)
def test_budget_shares_add_up_to_the_plan_to_the_cent(marker, by: str) -> None:  # noqa: ANN001
    lines = _demo_lines()
    table = budget_shares(lines, 2026, REF, marker, by)
    total = table.total_row().cells[[c.name for c in table.columns].index("Total")]
    assert total == sum((a.total for a in lines if a.counts), Decimal(0)) == Decimal(
        "7119376.50")  # the demo 2026 workplan's total (test_app_workplan checks the same)
    for r in table.rows:  # each row's codes add up to its total
        money = [v for c, v in zip(table.columns, r.cells, strict=True)
                 if c.kind == "money" and c.name != "Total"]  # fmt: skip
        assert sum(money, Decimal(0)) == r.cells[[c.name for c in table.columns].index("Total")]


def test_the_gem_share_by_hand() -> None:
    lines = [_line("A", "1.1", usd="300.00", gem=2, marker_note="w"),
             _line("B", "1.2", usd="100.00", gem=0),
             _line("C", "2.1", usd="600.00", gem=3, marker_note="w"),
             _line("D", "2.1", usd="999.00", gem=3, marker_note="w", status="cancelled")]
    table = budget_shares(lines, 2026, REF, GEM, "area")
    area1 = table.rows[0].cells
    assert area1[1:6] == (Decimal("100.00"), Decimal("0.00"), Decimal("300.00"), Decimal("0.00"),
                          Decimal("400.00"))  # fmt: skip
    assert area1[6] == Decimal("75.00") and area1[7] == Decimal(15)
    assert table.rows[1].cells[6] == Decimal("100.00")
    assert table.notes[0] == "Whole: 90.00% coded GEM 2 and 3 (target 15%)."  # 900 of 1,000


def _spent(output: str, usd: str, office: str = "BEG") -> ExpenditureLine:
    return ExpenditureLine(2, "G", "W", "F", "TRAVEL", "USD", 2026, 3, Decimal(usd),
                           Decimal(usd), output, office, "ALB")  # fmt: skip


def test_spending_is_shared_over_the_outputs_planned_codes_to_the_cent() -> None:
    lines = [_line("A", "5.2", usd="200.00", dac_disability=1, inclusion="x"),
             _line("B", "5.2", usd="100.00", dac_disability=0),
             _line("C", "5.3", usd="50.00")]  # not screened
    spent = [_spent("5.2", "100.00"), _spent("5.3", "10.01"), _spent("1.1", "7.00")]
    table = delivery_shares(lines, spent, 2026, REF, DAC_DISABILITY, "area")
    names = [c.name for c in table.columns]
    area5 = dict(zip(names, table.rows[1].cells, strict=True))
    # 100.00 over 200:100 -> 66.67 and 33.33 (largest remainder); 10.01 not screened
    assert area5["DAC disability 1"] == Decimal("66.67")
    assert area5["DAC disability 0"] == Decimal("33.33")
    assert area5[NOT_SCREENED] == Decimal("10.01")
    assert area5["Total"] == Decimal("110.01")
    area1 = dict(zip(names, table.rows[0].cells, strict=True))
    assert area1[UNATTRIBUTED] == Decimal("7.00")  # output 1.1 has no planned line
    assert table.total_row().cells[names.index("Total")] == Decimal("117.01")
