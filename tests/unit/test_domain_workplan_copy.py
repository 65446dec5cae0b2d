"""Copy forward that cannot surprise: numbers kept, lineage, what is copied by default,
continuing lines, partial years flagged, the preview, and the version in use."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from rpsee.domain.workplan import Workplan, implementation_year, mark_in_use
from rpsee.domain.workplan_copy import (
    CONTINUING,
    COPIED,
    KEPT,
    PLANNED_AGAIN,
    copy_forward,
    default_picks,
    preview_copy,
)
from tests.unit.test_domain_workplan import act

FULL = tuple(range(1, 13))
SOURCE = [
    act("2026-1.1-001", "1.1", {"TRAVEL": "100.00"}),
    act("2026-1.1-002", "1.1", {"TRAVEL": "200.00"}),
    act("2026-1.1-003", "1.1", {"TRAVEL": "300.00"}, months=(9, 12)),
    act("2026-2.3-001", "2.3", {"GOC": "1000.00"}, status="ongoing", months=(1, 6)),
    act("2026-2.3-002", "2.3", {"GOC": "50.00"}, status="completed"),
    act("2026-5.4-001", "5.4", {"GOC": "70.00"}, status="cancelled"),
]


def _codes(lines) -> list[str]:  # noqa: ANN001
    return [c.line.code for c in lines]


def test_skipping_a_line_renumbers_nothing() -> None:
    picked = ["2026-1.1-001", "2026-1.1-003", "2026-2.3-001"]
    lines = copy_forward(SOURCE, 2026, 2027, FULL, picked=picked)
    assert _codes(lines) == ["2027-1.1-001", "2027-1.1-003", "2027-2.3-001"]
    assert not any(c.renumbered for c in lines)


def test_every_copy_keeps_the_lineage_of_the_first_code() -> None:
    [y2027] = copy_forward(SOURCE[:1], 2026, 2027, FULL)
    assert y2027.line.line_id == "2026-1.1-001" and y2027.line.lineage == "2026-1.1-001"
    [y2028] = copy_forward([y2027.line], 2027, 2028, FULL)
    assert (y2028.line.code, y2028.line.line_id) == ("2028-1.1-001", "2026-1.1-001")
    [v2] = copy_forward([y2028.line], 2028, 2028, FULL)  # a new version of the same year
    assert (v2.line.code, v2.line.line_id, v2.how) == ("2028-1.1-001", "2026-1.1-001", KEPT)


def test_completed_and_cancelled_lines_are_left_out_unless_picked() -> None:
    assert default_picks(SOURCE, same_year=False) == [
        "2026-1.1-001", "2026-1.1-002", "2026-1.1-003", "2026-2.3-001"]  # fmt: skip
    assert len(default_picks(SOURCE, same_year=True)) == len(SOURCE)
    lines = copy_forward(SOURCE, 2026, 2027, FULL)
    assert "2027-2.3-002" not in _codes(lines) and "2027-5.4-001" not in _codes(lines)
    picked = copy_forward(SOURCE, 2026, 2027, FULL, picked=["2026-2.3-002", "2026-5.4-001"])
    assert [(c.line.code, c.line.status, c.how) for c in picked] == [
        ("2027-2.3-002", "planned", PLANNED_AGAIN),
        ("2027-5.4-001", "planned", PLANNED_AGAIN),
    ]
    assert picked[1].line.notes == ("Copied from 2026-5.4-001 (cancelled in 2026, planned "
                                    "again).")  # fmt: skip


def test_ongoing_lines_continue_and_notes_do_not_pile_up() -> None:
    lines = {c.source.code: c for c in copy_forward(SOURCE, 2026, 2027, FULL)}
    going = lines["2026-2.3-001"]
    assert (going.how, going.line.status) == (CONTINUING, "ongoing")
    assert going.line.notes == "Continues 2026-2.3-001."
    assert lines["2026-1.1-001"].how == COPIED and lines["2026-1.1-001"].line.status == "planned"
    [again] = copy_forward([replace(going.line, notes=going.line.notes + " Phase 2.")], 2027,
                           2028, FULL)  # fmt: skip
    assert again.line.notes == "Continues 2027-2.3-001. Phase 2."


def test_months_outside_a_partial_year_are_flagged_not_squeezed_silently() -> None:
    first_half = tuple(range(1, 7))  # 2029 ends in June
    lines = {c.source.code: c for c in copy_forward(SOURCE, 2028, 2029, first_half)}
    late = lines["2026-1.1-003"]  # September to December
    assert not late.months_fit
    assert (late.months_before, late.months_after) == ("Sep–Dec", "Jun")
    assert "months Sep–Dec moved to Jun" in late.line.notes
    assert lines["2026-2.3-001"].months_fit  # January to June fits
    second_half = copy_forward(SOURCE, 2025, 2024, tuple(range(7, 13)))
    flagged = {c.source.code: (c.months_before, c.months_after) for c in second_half
               if not c.months_fit}  # fmt: skip
    assert flagged == {"2026-1.1-001": ("Jan", "Jul"), "2026-1.1-002": ("Jan", "Jul"),
                       "2026-2.3-001": ("Jan–Jun", "Jul")}  # fmt: skip


def test_a_number_taken_by_another_line_gets_a_new_one_and_says_so() -> None:
    taken = {"2027-1.1-003": "2026-1.1-009", "2027-1.1-001": "2026-1.1-001"}
    lines = copy_forward(SOURCE[:3], 2026, 2027, FULL, taken=taken)
    assert _codes(lines) == ["2027-1.1-001", "2027-1.1-002", "2027-1.1-010"]
    assert [c.renumbered for c in lines] == [False, False, True]


def test_preview_lists_versions_and_adds_up() -> None:
    source = Workplan(1, 2026, 1, "approved")
    existing = [Workplan(3, 2027, 2, "draft"), Workplan(2, 2027, 1, "draft", in_use=True)]
    p = preview_copy(source, SOURCE, 2027, FULL, existing, Decimal("10"))
    assert p.needs_confirmation and p.version_no == 3
    assert [e.version_no for e in p.existing] == [1, 2]
    assert len(p.lines) == 4 and [a.code for a in p.left_out] == ["2026-2.3-002", "2026-5.4-001"]
    assert p.total == Decimal("1760.00") and sum(p.by_area.values()) == p.total
    assert p.by_area == {"1": Decimal("660.00"), "2": Decimal("1100.00")}
    assert p.count(CONTINUING) == 1 and p.flagged == []
    fresh = preview_copy(source, SOURCE, 2025, FULL, [])
    assert not fresh.needs_confirmation and fresh.version_no == 1


def test_version_in_use_is_chosen_else_approved_else_first() -> None:
    plans = [Workplan(1, 2026, 1, "draft"), Workplan(2, 2026, 2, "approved"),
             Workplan(3, 2027, 1, "draft"), Workplan(4, 2027, 2, "draft")]  # fmt: skip
    used = {p.id for p in mark_in_use(plans, {}) if p.in_use}
    assert used == {2, 3}
    # 2026 has an approved version: a draft chosen (stored before the rule) is not used
    assert {p.id for p in mark_in_use(plans, {2026: 1, 2027: 4}) if p.in_use} == {2, 4}
    assert {p.id for p in mark_in_use(plans, {2026: 2, 2027: 4}) if p.in_use} == {2, 4}
    assert {p.id for p in mark_in_use(plans, {2027: 99}) if p.in_use} == {2, 3}  # gone: default


def test_year_being_implemented_is_clamped_to_the_cycle() -> None:
    years = (2024, 2025, 2026, 2027, 2028, 2029)
    assert implementation_year(date(2026, 11, 29), years) == 2026
    assert implementation_year(date(2023, 1, 1), years) == 2024
    assert implementation_year(date(2031, 1, 1), years) == 2029


def test_the_markers_are_copied_with_the_line() -> None:
    coded = replace(SOURCE[0], gem=3, dac_gender=2, dac_disability=1, sdg_targets=("5.2",),
                    marker_note="Its purpose.", inclusion="Accessible venues.")
    [copy] = copy_forward([coded], 2026, 2027, FULL)
    line = copy.line
    assert (line.gem, line.dac_gender, line.dac_disability, line.sdg_targets) == (
        3, 2, 1, ("5.2",))  # fmt: skip
    assert (line.marker_note, line.inclusion) == ("Its purpose.", "Accessible venues.")
