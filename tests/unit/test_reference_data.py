"""The reference data in data/ checked against the programme document (hand-counted figures)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from rpsee.domain.reference import check_reference
from rpsee.store.data_files import load_reference

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_2b76d307abe3fdd9.txt"


@pytest.fixture(scope="module")
def ref():
    return load_reference()


@pytest.fixture(scope="module")
def document() -> str:
    if not SEED.exists():
        pytest.skip(
            f"The programme document is missing: expected {SEED} (../shared beside the repository)"
        )
    return SEED.read_text(encoding="utf-8")


def _norm(text: str) -> str:
    """Lower case, words only; a hyphen and any space after it are dropped, so the document's
    PDF-extraction defects ("gender- sensitive", "evidencebased") match the data's
    "gender-sensitive" and "evidence-based" while every word must still be there in order."""
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"-\s*", "", text.lower())).strip()


def _strings(node: object) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


# A hyphen before a space is a word broken at a line end, except a suspended hyphen ("age- and").
BROKEN = re.compile(r"\b\w+- (?!and\b|or\b|to\b)\w+")
GLUED = ("evidencebased", "gendersensitive", "postintervention", "humanrights")


def test_reference_data_is_consistent(ref) -> None:
    assert check_reference(ref) == []


def test_five_areas_and_22_outputs_3_6_5_3_5(ref) -> None:
    assert [a.code for a in ref.areas] == ["1", "2", "3", "4", "5"]
    assert [len(a.outputs) for a in ref.areas] == [3, 6, 5, 3, 5]
    assert len(ref.outputs) == 22
    assert ref.areas[0].name == "Drug Prevention, Treatment and Care"
    assert ref.areas[4].name == "Crime Prevention and Criminal Justice"
    assert [o.code for o in ref.areas[1].outputs] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert all(a.strategic_goal for a in ref.areas)


def test_output_wording_is_the_documents(ref, document: str) -> None:
    text = _norm(re.sub(r"<sup>.*?</sup>", " ", document))  # footnote marks are not wording
    for output in ref.outputs:
        assert len(output.text) > 40, output.code
        assert _norm(output.text) in text, f"output {output.code} wording not in the document"


def test_extraction_defects_are_normalised_not_ignored() -> None:
    assert _norm("evidence-based") == _norm("evidencebased") == "evidencebased"
    assert _norm("gender- sensitive") == _norm("gender-sensitive")
    assert _norm("evidence based") not in _norm("evidencebased")  # a lost word still fails


def test_no_broken_or_glued_words_in_data() -> None:
    data = Path(__file__).resolve().parents[2] / "data"
    for path in sorted(data.rglob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            assert not BROKEN.search(text), f"{path.name}: {BROKEN.search(text).group()!r}"
            assert not any(g in text.lower() for g in GLUED), f"{path.name}: {text[:60]}"


def test_wording_defects_fixed(ref, document: str) -> None:
    assert "gender-sensitive and accountable" in ref.output("4.1").text
    assert "comprehensive and evidence-based crime prevention" in ref.output("5.1").text
    # 2.6.a: the document misprints "compliant" as "complaint"; the data corrects it.
    assert "largely or fully complaint with international standards" in document
    assert "largely or fully compliant with international" in ref.output("2.6").indicators[0].text


def test_logframe_examples(ref) -> None:
    ind = ref.output("1.1").indicators[0]
    assert ind.baseline == "0"
    assert ind.target.startswith("1000")
    assert ind.interim_target == "250 by end 2026"
    assert ind.interval.lower() == "after each training"
    assert "facilitators" in ind.text
    assert ref.output("2.1").indicators[0].baseline.startswith("One jurisdiction (BiH)")
    total = sum(len(o.indicators) for o in ref.outputs)
    assert total >= 22


def test_jurisdictions_with_kosovo_footnote(ref) -> None:
    names = [j.name for j in ref.jurisdictions]
    assert names == [
        "Albania",
        "Bosnia and Herzegovina",
        "Montenegro",
        "North Macedonia",
        "Serbia",
        "Kosovo",
        "Türkiye",
        "Regional",
    ]  # the document's order
    assert sum(j.western_balkans for j in ref.jurisdictions) == 6
    kosovo = next(j for j in ref.jurisdictions if j.name == "Kosovo")
    expected = (
        "All references to Kosovo should be understood to be in the context of United "
        "Nations Security Council resolution 1244 (1999)."
    )
    assert kosovo.footnote == expected
    assert ref.kosovo_footnote == expected
    assert [j.code for j in ref.jurisdictions if j.regional] == ["REG"]


def test_offices_and_duty_stations(ref) -> None:
    kinds = {o.name: o.kind for o in ref.offices}
    assert kinds["Istanbul"] == "regional_office"
    assert {n for n, k in kinds.items() if k == "programme_office"} == {
        "Sarajevo",
        "Skopje",
        "Belgrade",
    }
    assert {n for n, k in kinds.items() if k == "duty_station"} == {
        "Vienna",
        "Ankara",
        "Tirana",
        "Podgorica",
    }
    assert [o.name for o in ref.offices if o.headquarters] == ["Vienna"]


def test_twenty_positions_with_the_documents_grade_mix(ref) -> None:
    positions = ref.positions
    assert len(positions) == 20
    mix = Counter(p.grade_group for p in positions)
    assert mix == {"P4": 5, "P3": 1, "P2": 1, "G6": 1, "G5": 2, "SC": 10}
    new = [p for p in positions if p.is_new]
    assert len(new) == 7
    assert Counter(p.grade_group for p in new) == {"P4": 3, "P3": 1, "G6": 1, "SC": 2}
    by_id = {p.id: p for p in positions}
    assert by_id["P_001"].title == "Regional Representative for South-Eastern Europe"
    assert (by_id["P_001"].grade, by_id["P_001"].duty_station) == ("P4", "IST")
    assert (by_id["P_015"].grade, by_id["P_015"].duty_station, by_id["P_015"].status) == (
        "P3",
        "VIE",
        "new",
    )
    assert (by_id["SC_001"].table_ref, by_id["SC_001"].duty_station) == ("P_004", "BEG")
    assert {p.id for p in new} == {"SC_005", "SC_007", "P_008", "P_010", "P_013", "P_014", "P_015"}


def test_money_facts(ref) -> None:
    f = ref.figures
    assert f.annual_envelope == Decimal("11000000.00")
    assert f.cycle_envelope == Decimal("55000000.00")
    assert f.hard_pipeline == {2024: Decimal("8100000.00"), 2025: Decimal("8300000.00")}
    assert f.delivery == {
        2021: Decimal("2700000.00"),
        2022: Decimal("5600000.00"),
        2023: Decimal("7300000.00"),
    }
    assert f.staff_requirement == Decimal("11582088.60")
    assert (f.staff_requirement_start, f.staff_requirement_end) == ("2024-07", "2029-06")
    assert f.programme_support_rate_percent == Decimal(13)
    assert sorted(f.envelope_by_year) == [2024, 2025, 2026, 2027, 2028, 2029]
    # The cycle is the 5 years July 2024 - June 2029: half years at both ends, USD 55M in all.
    assert f.envelope_by_year[2024] == f.envelope_by_year[2029] == Decimal("5500000.00")
    assert all(f.envelope_by_year[y] == Decimal("11000000.00") for y in range(2025, 2029))
    assert sum(f.envelope_by_year.values()) == f.cycle_envelope
    assert (f.cycle_start, f.cycle_end) == (f.staff_requirement_start, f.staff_requirement_end)
    assert f.months_of(2029) == (1, 2, 3, 4, 5, 6) and f.months_of(2024) == (7, 8, 9, 10, 11, 12)
    assert f.cycle_years == (2024, 2025, 2026, 2027, 2028, 2029)
    assert f.cycle_days == (date(2024, 7, 1), date(2029, 6, 30))
    assert replace(f, cycle_end="2028-12").cycle_days[1] == date(2028, 12, 31)  # a December end


def test_money_facts_appear_in_the_document(document: str) -> None:
    for phrase in (
        "USD 11 million",
        "USD 55 million",
        "USD 8.1 million",
        "$8.3 million",
        "USD 11,582,088.60",
    ):
        assert phrase in document


def test_cost_categories_and_risks(ref) -> None:
    assert [c.code for c in ref.cost_categories] == [
        "STAFF",
        "SUPPLIES",
        "EQUIPMENT",
        "CONTRACTUAL",
        "TRAVEL",
        "TRANSFERS",
        "GOC",
    ]
    assert len(ref.risks) == 5
    assert (ref.risks[0].likelihood, ref.risks[0].impact, ref.risks[0].level) == ("M", "M", "M")
    assert all((r.likelihood, r.impact, r.level) == ("H", "M", "M") for r in ref.risks[1:])
    donors = {d.name for d in ref.donors}
    assert {
        "Austria",
        "European Union",
        "Lions Clubs International Foundation",
        "Türkiye",
    } <= donors
