"""Monitoring specs (data/monitoring.yaml) checked against the programme document's logframe
(p. 23-43), and bad specs refused naming the indicator and the field."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from rpsee.domain.review.indicators import (
    Across,
    Direction,
    IndicatorSpec,
    InterimTarget,
    Interval,
    Measure,
    load_rule,
    load_specs,
)
from rpsee.store.data_files import load_reference

MONITORING = Path(__file__).resolve().parents[2] / "data" / "monitoring.yaml"


@pytest.fixture(scope="module")
def ref():
    return load_reference()


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(MONITORING.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def specs(raw, ref) -> dict[str, IndicatorSpec]:
    return load_specs(raw, ref)


def test_every_logframe_indicator_has_one_spec_in_order(specs, ref) -> None:
    codes = [i.code for o in ref.outputs for i in o.indicators]
    assert list(specs) == codes
    assert len(codes) == 28  # 3.1's logframe row is lost in the extraction: no indicator
    assert all(s.unit and s.text for s in specs.values())
    assert {s.output_code for s in specs.values()} == {o.code for o in ref.outputs} - {"3.1"}


def test_1_1_a_facilitators(specs) -> None:
    # p. 23: "Baseline: 0 Target: 1000 (male/female ratio to be tracked) Interim targets: 250 by
    # end 2026 Interval: After each training"; "(disaggregated by gender)".
    s = specs["1.1.a"]
    assert (s.baseline, s.target) == (Decimal(0), Decimal(1000))
    assert s.interim_targets == (InterimTarget(date(2026, 12, 31), Decimal(250)),)
    assert (s.measure, s.direction, s.interval) == (
        Measure.NUMBER,
        Direction.INCREASE,
        Interval.PER_EVENT,
    )
    assert s.by_sex and s.by_jurisdiction and s.cumulative
    assert s.unit == "facilitators trained"
    assert s.target_due == date(2029, 6, 30)  # undated: the end of the cycle
    assert s.means_of_verification.startswith("Training reports; feedback from national")


def test_hand_picked_indicators_against_the_document(specs) -> None:
    # 1.2.a: "Target: 5 Interim targets: 3 by end 2026 Interval: On an annual basis"
    s = specs["1.2.a"]
    assert (s.target, s.interim_targets[0].value, s.interval) == (5, 3, Interval.ANNUAL)
    assert not s.by_sex  # events have no sex
    # 2.1.a: BiH at baseline; "At least four ... by end of 2028"; "By end of 2026, at least two"
    s = specs["2.1.a"]
    assert s.measure is Measure.MILESTONE and not s.cumulative
    assert (s.baseline, s.target, s.target_due) == (1, 4, date(2028, 12, 31))
    assert s.interim_targets == (InterimTarget(date(2026, 12, 31), Decimal(2)),)
    # 2.3: "30%" -> "50%" carriers' information; seizures 5 -> 10 per jurisdiction per year
    assert specs["2.3.a"].measure is Measure.PERCENT
    assert (specs["2.3.a"].baseline, specs["2.3.a"].target) == (30, 50)
    s = specs["2.3.b"]
    assert (s.baseline, s.target, s.interval, s.per_year, s.across) == (
        5,
        10,
        Interval.QUARTERLY,
        True,
        Across.MEAN,
    )
    assert (specs["2.3.c"].baseline, specs["2.3.c"].target, specs["2.3.c"].across) == (
        6,
        12,
        Across.SUM,
    )
    # 2.5.a: two harmonised; all six Western Balkan by end 2029; half (3) by end 2026
    s = specs["2.5.a"]
    assert (s.baseline, s.target, s.target_due) == (2, 6, date(2029, 12, 31))
    assert s.interim_targets[0] == InterimTarget(date(2026, 12, 31), Decimal(3))
    # ThA3: the "Interval" is the period "1 July 2024 - 31 December 2027"
    assert all(specs[c].target_due == date(2027, 12, 31) for c in ("3.2.a", "3.3.a", "3.4.a"))
    assert (specs["3.4.a"].measure, specs["3.4.a"].target) == (Measure.PERCENT, 70)
    assert specs["3.2.b"].baseline is None  # printed "Baseline:" with no value
    assert (specs["3.3.a"].baseline, specs["3.3.a"].target) == (12, 15)
    # ThA4/5: "Interim targets: 1" / "2", undated: due end 2026
    for code, target, interim in (("4.1.a", 2, 1), ("5.1.a", 3, 1), ("5.5.a", 4, 2)):
        s = specs[code]
        assert (s.baseline, s.target) == (0, target), code
        assert s.interim_targets == (InterimTarget(date(2026, 12, 31), Decimal(interim)),)
    assert specs["5.4.a"].baseline is None and specs["5.4.a"].target == 4


def test_nothing_invented_where_the_document_is_silent(specs) -> None:
    for code in ("1.3.a", "2.6.a", "2.6.b"):
        s = specs[code]
        assert (s.baseline, s.target, s.interim_targets) == (None, None, ()), code
        assert not s.has_target
    assert specs["2.2.a"].target is None and specs["2.2.b"].baseline is None
    assert specs["2.5.b"].baseline is None and specs["2.5.b"].interim_targets == ()


def test_interval_words_of_the_document_map_to_the_spec(specs, ref) -> None:
    words = {i.code: (i.interval or "").lower() for o in ref.outputs for i in o.indicators}
    for code, s in specs.items():
        if words[code] == "quarterly":
            assert s.interval is Interval.QUARTERLY, code
        elif "after each" in words[code]:
            assert s.interval is Interval.PER_EVENT, code
        else:
            assert s.interval is Interval.ANNUAL, code


def test_only_1_1_a_is_by_sex_and_milestones_are_by_jurisdiction(specs) -> None:
    assert [c for c, s in specs.items() if s.by_sex] == ["1.1.a"]
    assert all(s.by_jurisdiction for s in specs.values())
    milestones = [c for c, s in specs.items() if s.measure is Measure.MILESTONE]
    assert milestones == ["2.1.a", "2.5.a", "2.5.b", "2.6.a", "2.6.b", "4.1.a", "4.2.a"]


def test_the_rule(raw) -> None:
    rule = load_rule(raw)
    assert (rule.on_track_from, rule.ahead_above, rule.at_risk_from) == (85, 115, 60)
    assert rule.programme_start == date(2024, 7, 1)
    assert "on track from 85%" in rule.rule_text and "\n" not in rule.rule_text
    for word in ("Achieved", "Not reported", "at risk", "off track", "No target set"):
        assert word in rule.rule_text


def _broken(raw: dict, code: str, **fields: object) -> dict:
    bad = copy.deepcopy(raw)
    for name, value in fields.items():
        if value is ...:
            del bad["indicators"][code][name]
        else:
            bad["indicators"][code][name] = value
    return bad


@pytest.mark.parametrize(
    ("code", "fields", "named"),
    [
        ("1.1.a", {"target": 1000.5}, "target"),
        ("1.1.a", {"target": "a thousand"}, "target"),
        ("1.1.a", {"baseline": "-1"}, "baseline"),
        ("1.1.a", {"baseline": "NaN"}, "baseline"),
        ("1.1.a", {"measure": "count"}, "measure"),
        ("1.1.a", {"direction": "up"}, "direction"),
        ("1.1.a", {"interval": "monthly"}, "interval"),
        ("1.1.a", {"cumulative": "yes"}, "cumulative"),
        ("1.1.a", {"by_sex": None}, "by_sex"),
        ("1.1.a", {"unit": " "}, "unit"),
        ("1.1.a", {"colour": "red"}, "colour"),
        ("1.1.a", {"interim_targets": [{"due": "end 2026", "value": "250"}]}, "interim_targets"),
        ("1.1.a", {"interim_targets": [{"due": "2030-12-31", "value": "250"}]}, "interim_targets"),
        ("1.1.a", {"interim_targets": [{"value": "250"}]}, "interim_targets"),
        ("1.1.a", {"direction": "decrease"}, "cumulative"),
        ("2.3.a", {"target": "150"}, "target"),
        ("2.3.a", {"cumulative": True}, "cumulative"),
        ("2.3.a", {"across": "median"}, "across"),
        ("2.1.a", {"by_jurisdiction": False}, "by_jurisdiction"),
        ("2.1.a", {"target_due": "2024-01-01"}, "interim_targets"),
    ],
)
def test_bad_specs_are_refused_naming_indicator_and_field(raw, ref, code, fields, named) -> None:
    with pytest.raises(ValueError, match=rf"Indicator {code}, {named}:"):
        load_specs(_broken(raw, code, **fields), ref)


def test_missing_and_unknown_indicators_are_refused(raw, ref) -> None:
    bad = copy.deepcopy(raw)
    del bad["indicators"]["5.5.a"]
    with pytest.raises(ValueError, match=r"Indicator 5\.5\.a, spec: missing"):
        load_specs(bad, ref)
    bad = copy.deepcopy(raw)
    bad["indicators"]["9.9.z"] = bad["indicators"]["1.1.a"]
    with pytest.raises(ValueError, match=r"Indicator 9\.9\.z, code: not an indicator"):
        load_specs(bad, ref)


def test_bad_rules_are_refused(raw) -> None:
    bad = copy.deepcopy(raw)
    bad["status_rule"]["at_risk_from"] = "90"
    with pytest.raises(ValueError, match="on_track_from"):
        load_rule(bad)
    bad = copy.deepcopy(raw)
    bad["status_rule"]["on_track_from"] = "eighty-five"
    with pytest.raises(ValueError, match="on_track_from"):
        load_rule(bad)
    bad = copy.deepcopy(raw)
    bad["status_rule"]["rule_text"] = ""
    with pytest.raises(ValueError, match="rule_text"):
        load_rule(bad)


def test_the_review_domain_imports_neither_streamlit_nor_sqlalchemy() -> None:
    code = (
        "import sys, rpsee.domain.review.indicators, rpsee.domain.review.progress; "
        "bad = {'streamlit', 'sqlalchemy'} & set(sys.modules); assert not bad, bad"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root)}, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr


# Numbers read from words, each checked by hand against the logframe's wording.
WORDED = {
    ("2.1.a", "baseline"): ("One jurisdiction", "1"),
    ("2.1.a", "target"): ("At least four", "4"),
    ("2.4.a", "baseline"): ("No new initiatives", "0"),
    ("2.4.a", "target"): ("At least four", "4"),
    ("2.5.a", "baseline"): ("Two jurisdictions", "2"),
    ("2.5.a", "target"): ("All Western Balkan jurisdictions", "6"),
    ("2.5.b", "target"): ("All Western Balkan jurisdictions", "6"),
    ("2.1.a", "interim"): ("at least two", "2"),
    ("2.4.a", "interim"): ("Half of the foreseen Programme target", "2"),  # half of four
    ("2.5.a", "interim"): ("at least half of the Western Balkan", "3"),  # half of six
}


def test_every_number_is_the_documents_or_read_from_its_words(specs, ref) -> None:
    printed = {i.code: i for o in ref.outputs for i in o.indicators}
    western_balkans = sum(j.western_balkans for j in ref.jurisdictions)
    assert western_balkans == 6
    for code, spec in specs.items():
        for name in ("baseline", "target"):
            value = getattr(spec, name)
            text = getattr(printed[code], name)
            if value is None:
                continue
            if (code, name) in WORDED:
                words, number = WORDED[(code, name)]
                assert words in text and Decimal(number) == value, (code, name)
            else:
                assert re.search(rf"(?<![\d.]){value}(?![\d.])", text), (code, name, text)
        interim = printed[code].interim_target or ""
        for i in spec.interim_targets:
            if (code, "interim") in WORDED:
                words, number = WORDED[(code, "interim")]
                assert words in interim and Decimal(number) == i.value, code
            else:
                assert re.search(rf"(?<![\d.]){i.value}(?![\d.])", interim), (code, interim)
