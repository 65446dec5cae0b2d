"""Indicator progress: actual values read strictly, corrections, the expected value by a date and
the status rule (hand-checked cases and properties)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rpsee.domain.review.indicators import Direction, load_rule, load_specs
from rpsee.domain.review.progress import (
    STATUS_SYMBOL,
    STATUS_WORD,
    Actual,
    ActualError,
    Status,
    actual_as_of,
    assess,
    assess_all,
    current,
    expected_as_of,
    last_period_ended,
    met_jurisdictions,
    milestone_table,
    overlapping,
    progress_table,
    read_actual,
    status_label,
)
from rpsee.store.data_files import load_reference

MONITORING = Path(__file__).resolve().parents[2] / "data" / "monitoring.yaml"
FONT = Path(__file__).resolve().parents[2] / "rpsee" / "reports" / "fonts" / "DejaVuSans.ttf"
CYCLE = (date(2024, 7, 1), date(2029, 6, 30))
WHEN = datetime(2026, 1, 10, 9, 30)
PLACES = ("ALB", "BIH", "MNE", "MKD", "SRB", "XKX", "TUR")

REF = load_reference()
RAW = yaml.safe_load(MONITORING.read_text(encoding="utf-8"))
SPECS = load_specs(RAW, REF)
RULE = load_rule(RAW)


def entry(code: str, start: date, end: date, value: int | str, *, jurisdiction: str | None = "ALB",
          sex: str | None = None, id: int | None = None,  # noqa: A002
          replaces: int | None = None) -> Actual:  # fmt: skip
    return Actual(code, start, end, jurisdiction, sex, Decimal(value), "report", "planner", WHEN,
                  id=id, replaces=replaces)  # fmt: skip


def year(code: str, y: int, value: int | str, **kw: object) -> Actual:
    return entry(code, max(date(y, 1, 1), CYCLE[0]), date(y, 12, 31), value, **kw)  # type: ignore[arg-type]


def quarter(code: str, y: int, q: int, value: int | str, **kw: object) -> Actual:
    start = date(y, 3 * q - 2, 1)
    end = (date(y, 3 * q, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return entry(code, start, end, value, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the expected value


def test_1_1_a_expected_by_hand() -> None:
    s = SPECS["1.1.a"]
    # 1 Jul 2024 -> 31 Dec 2025 is 548 days, 1 Jul 2024 -> 31 Dec 2026 is 913 days:
    # 250 * 548 / 913 = 150.0547... -> 150.05
    assert expected_as_of(s, date(2025, 12, 31)) == Decimal("150.05")
    assert expected_as_of(s, date(2024, 7, 1)) == 0
    assert expected_as_of(s, date(2026, 12, 31)) == 250
    # then 250 -> 1000 from 31 Dec 2026 to 30 Jun 2029 (912 days); 31 Mar 2028 is 456 days on:
    # 250 + 750 * 456 / 912 = 625
    assert expected_as_of(s, date(2028, 3, 31)) == 625
    assert expected_as_of(s, date(2029, 6, 30)) == expected_as_of(s, date(2030, 1, 1)) == 1000


def test_a_level_starts_from_its_baseline_a_count_from_zero() -> None:
    # 2.3.a: 30% -> 50% over 1,825 days; 548 days on: 30 + 20 * 548 / 1825 = 36.0055 -> 36.01
    assert expected_as_of(SPECS["2.3.a"], date(2025, 12, 31)) == Decimal("36.01")
    # 3.2.a counts laws adopted in the period: 0 -> 6 by 31 Dec 2027 (1,278 days); half way
    # (639 days, 31 Mar 2026) 3
    assert expected_as_of(SPECS["3.2.a"], date(2024, 7, 1) + timedelta(days=639)) == 3
    assert expected_as_of(SPECS["2.6.a"], date(2026, 1, 1)) is None  # no target
    assert expected_as_of(SPECS["2.5.b"], date(2026, 1, 1)) is None  # a level without baseline


# ---------------------------------------------------------------- the status rule


def test_1_1_a_hundred_facilitators_by_end_2025_is_at_risk() -> None:
    actuals = [
        entry("1.1.a", date(2025, 3, 3), date(2025, 3, 5), 60, sex="female", id=1),
        entry("1.1.a", date(2025, 10, 6), date(2025, 10, 8), 40, sex="male", id=2,
              jurisdiction="SRB"),
    ]  # fmt: skip
    p = assess(SPECS["1.1.a"], actuals, date(2025, 12, 31), RULE)
    # 100 / 150.05 = 66.644...% -> 66.64: from 60% to under 85%, at risk
    assert (p.actual, p.expected, p.ratio) == (100, Decimal("150.05"), Decimal("66.64"))
    assert p.status is Status.AT_RISK
    assert p.by_sex == {"female": 60, "male": 40}
    more = [*actuals, entry("1.1.a", date(2025, 11, 3), date(2025, 11, 4), 28, sex="male")]
    # 128 / 150.05 = 85.30% -> on track; 127 / 150.05 = 84.64% -> at risk
    assert assess(SPECS["1.1.a"], more, date(2025, 12, 31), RULE).status is Status.ON_TRACK
    assert assess(SPECS["1.1.a"], [*actuals, entry("1.1.a", date(2025, 11, 3), date(2025, 11, 4),
                                                    27, sex="male")], date(2025, 12, 31),
                  RULE).status is Status.AT_RISK  # fmt: skip
    # 89 / 150.05 = 59.31% -> off track
    few = [entry("1.1.a", date(2025, 3, 3), date(2025, 3, 5), 89, sex="female")]
    assert assess(SPECS["1.1.a"], few, date(2025, 12, 31), RULE).status is Status.OFF_TRACK
    # 175 / 150.05 = 116.63%: on track, ahead of plan
    lots = [entry("1.1.a", date(2025, 3, 3), date(2025, 3, 5), 175, sex="female")]
    ahead = assess(SPECS["1.1.a"], lots, date(2025, 12, 31), RULE)
    assert (ahead.status, ahead.ahead, ahead.ratio) == (Status.ON_TRACK, True, Decimal("116.63"))


def test_achieved_not_reported_and_no_target() -> None:
    s = SPECS["1.2.a"]  # 5 training events, annual
    done = [year("1.2.a", 2024, 2), year("1.2.a", 2025, 3)]
    assert assess(s, done, date(2026, 1, 15), RULE).status is Status.ACHIEVED
    # only 2024 reported: on 15 Jan 2026 the year 2025 has ended without a value
    late = assess(s, [year("1.2.a", 2024, 2)], date(2026, 1, 15), RULE)
    assert (late.status, late.actual) == (Status.NOT_REPORTED, 2)
    assert assess(s, [], date(2025, 6, 1), RULE).status is Status.NOT_REPORTED
    assert last_period_ended(s.interval, date(2024, 12, 30)) is None
    # 2.6.a: the logframe gives no number
    assert assess(SPECS["2.6.a"], [], date(2026, 1, 1), RULE).status is Status.NO_TARGET
    ms = [entry("2.6.a", date(2025, 1, 1), date(2025, 12, 31), 1, jurisdiction="MNE")]
    assert assess(SPECS["2.6.a"], ms, date(2026, 1, 1), RULE).actual == 1


def test_a_decreasing_indicator_lower_is_better() -> None:
    s = dataclasses.replace(SPECS["2.3.a"], direction=Direction.DECREASE,
                            baseline=Decimal(50), target=Decimal(30))  # fmt: skip
    # expected 50 - 20 * 548 / 1825 = 43.9945 -> 43.99; the ratio is expected over actual
    assert expected_as_of(s, date(2025, 12, 31)) == Decimal("43.99")
    for actual, ratio, status in (
        (48, "91.65", Status.ON_TRACK),  # 43.99 / 48 = 91.65%
        (60, "73.32", Status.AT_RISK),  # 43.99 / 60 = 73.32%
        (80, "54.99", Status.OFF_TRACK),  # 43.99 / 80 = 54.99%
        (30, None, Status.ACHIEVED),  # at the final target
    ):
        p = assess(s, [quarter("2.3.a", 2025, 4, actual)], date(2025, 12, 31), RULE)
        assert p.status is status, actual
        if ratio:
            assert p.ratio == Decimal(ratio)


def test_a_percentage_is_the_mean_of_the_latest_quarter() -> None:
    actuals = [quarter("2.3.a", 2025, 3, 90, jurisdiction="ALB"),
               quarter("2.3.a", 2025, 4, 35, jurisdiction="ALB"),
               quarter("2.3.a", 2025, 4, 37, jurisdiction="BIH")]  # fmt: skip
    p = assess(SPECS["2.3.a"], actuals, date(2025, 12, 31), RULE)
    # (35 + 37) / 2 = 36 against 36.01 expected: 99.97%
    assert (p.actual, p.ratio, p.status) == (36, Decimal("99.97"), Status.ON_TRACK)


def test_a_rate_per_year_reported_quarterly() -> None:
    # 2.3.b seizures per jurisdiction per year: ALB 3 a quarter (12), BIH 2 a quarter (8)
    actuals = [quarter("2.3.b", 2025, q, 3, jurisdiction="ALB") for q in (1, 2, 3, 4)]
    actuals += [quarter("2.3.b", 2025, q, 2, jurisdiction="BIH") for q in (1, 2, 3, 4)]
    actuals.append(quarter("2.3.b", 2024, 4, 50, jurisdiction="BIH"))  # more than 12 months ago
    assert actual_as_of(SPECS["2.3.b"], actuals, date(2025, 12, 31)) == 10  # (12 + 8) / 2
    assert assess(SPECS["2.3.b"], actuals, date(2025, 12, 31), RULE).status is Status.ACHIEVED
    # 2.3.c alerts across 6 jurisdictions: a regional total
    alerts = [quarter("2.3.c", 2025, q, 2, jurisdiction=j) for q in (3, 4) for j in ("ALB", "MNE")]
    assert actual_as_of(SPECS["2.3.c"], alerts, date(2025, 12, 31)) == 8


def test_milestones_record_the_jurisdictions_that_met_them() -> None:
    s = SPECS["2.5.a"]  # baseline 2, 3 by end 2026, all six by end 2029
    actuals = [year("2.5.a", 2024, 1, jurisdiction="ALB", id=1),
               year("2.5.a", 2024, 1, jurisdiction="MNE", id=2),
               year("2.5.a", 2025, 1, jurisdiction="SRB", id=3)]  # fmt: skip
    assert met_jurisdictions(s, actuals, date(2025, 12, 31)) == ("ALB", "MNE", "SRB")
    assert met_jurisdictions(s, actuals, date(2025, 6, 30)) == ("ALB", "MNE")
    p = assess(s, actuals, date(2025, 12, 31), RULE)
    # expected 2 + 1 * 548 / 913 = 2.60; 3 / 2.60 = 115.38%: on track, ahead
    assert (p.actual, p.expected, p.status, p.met) == (3, Decimal("2.60"), Status.ON_TRACK,
                                                      ("ALB", "MNE", "SRB"))  # fmt: skip
    withdrawn = [*actuals, year("2.5.a", 2025, 0, jurisdiction="SRB", id=4, replaces=3)]
    assert met_jurisdictions(s, withdrawn, date(2025, 12, 31)) == ("ALB", "MNE")
    assert actual_as_of(SPECS["1.1.a"], actuals, date(2025, 12, 31)) is None  # other indicator
    assert met_jurisdictions(SPECS["1.1.a"], actuals, date(2025, 12, 31)) == ()


def test_corrections_replace_keep_history_and_chain() -> None:
    first = year("1.2.a", 2025, 4, id=1)
    fixed = year("1.2.a", 2025, 2, id=2, replaces=1)
    again = year("1.2.a", 2025, 3, id=3, replaces=2)
    other = year("1.2.a", 2024, 1, id=4)
    assert current([first, fixed]) == [fixed]
    assert current([again, other, fixed, first]) == [other, again]
    assert actual_as_of(SPECS["1.2.a"], [first, fixed, again, other], date(2026, 1, 1)) == 4


def test_an_entry_that_would_count_twice_is_found() -> None:
    old = year("1.2.a", 2025, 2, id=1)
    assert overlapping(year("1.2.a", 2025, 3), [old]) == old
    assert overlapping(year("1.2.a", 2025, 3, replaces=1), [old]) is None  # a correction
    assert overlapping(year("1.2.a", 2025, 3, jurisdiction="SRB"), [old]) is None
    assert overlapping(year("1.2.a", 2024, 3), [old]) is None
    assert overlapping(quarter("1.2.a", 2025, 4, 1), [old]) == old
    assert overlapping(year("1.2.a", 2025, 3), [old, year("1.2.a", 2025, 5, replaces=1)]) == (
        year("1.2.a", 2025, 5, replaces=1))  # fmt: skip


def test_assess_all_equals_assess_one_by_one() -> None:
    actuals = [year("1.2.a", 2024, 2, id=1), year("1.2.a", 2025, 9, id=2, replaces=1),
               year("2.5.a", 2025, 1, jurisdiction="SRB"),
               quarter("2.3.a", 2025, 4, 40)]  # fmt: skip
    as_of = date(2026, 1, 15)
    assert assess_all(SPECS.values(), actuals, as_of, RULE) == [
        assess(s, actuals, as_of, RULE) for s in SPECS.values()]  # fmt: skip


def test_milestone_table_names_the_jurisdictions_in_reference_order() -> None:
    met = [year("2.5.a", 2025, 1, jurisdiction=j) for j in ("XKX", "ALB", "SRB")]
    table = milestone_table(assess_all(SPECS.values(), met, date(2025, 12, 31), RULE), REF)
    assert [r.cells[0][:5] for r in table.rows] == ["2.1.a", "2.5.a", "2.5.b", "2.6.a", "2.6.b",
                                                    "4.1.a", "4.2.a"]  # fmt: skip
    assert table.rows[1].cells[1:] == ("3 by 31 Dec 2026", 3, "Albania, Serbia, Kosovo*")
    assert table.rows[0].cells[2:] == (0, "–") and table.total is False


def test_progress_table_symbol_and_word() -> None:
    progress = [assess(s, [], date(2025, 12, 31), RULE) for s in SPECS.values()]
    table = progress_table(progress, REF)
    assert [c.name for c in table.columns] == ["Output", "Indicator", "Baseline",
                                               "Interim target", "Actual", "Status"]  # fmt: skip
    assert table.total is False and len(table.rows) == len(SPECS)
    first = table.rows[0].cells
    assert first[:5] == ("1.1", "1.1.a · facilitators trained", "0", "250 by 31 Dec 2026", "–")
    assert first[5] == "? not reported"
    late = {r.cells[1][:5]: r.cells for r in progress_table(
        [assess(s, [], date(2027, 6, 30), RULE) for s in SPECS.values()], REF).rows}  # fmt: skip
    assert late["1.1.a"][3] == "1,000 by 30 Jun 2029 (final)"
    assert late["2.3.a"][2] == "30%"
    met = [year("2.5.a", 2025, 1, jurisdiction="XKX")]
    row = progress_table([assess(SPECS["2.5.a"], met, date(2025, 12, 31), RULE)], REF).rows[0]
    assert row.cells[4] == "1 (Kosovo*)"


def test_every_status_has_a_symbol_and_a_word_the_pdf_font_draws() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    glyphs = TTFont("DejaVuSansCheck", str(FONT)).face.charToGlyph
    assert set(STATUS_SYMBOL) == set(STATUS_WORD) == set(Status)
    assert len(set(STATUS_SYMBOL.values())) == len(Status) == len(set(STATUS_WORD.values()))
    for status in Status:
        assert all(ord(c) in glyphs for c in STATUS_SYMBOL[status]), status
        assert status_label(status) == f"{STATUS_SYMBOL[status]} {STATUS_WORD[status]}"


# ---------------------------------------------------------------- reading an entry


def read(code: str = "1.1.a", **changes: object) -> Actual:
    fields: dict[str, object] = {
        "period_start": date(2025, 3, 3), "period_end": date(2025, 3, 5), "jurisdiction": "ALB",
        "sex": "female", "value": "25", "source": "Training report, Tirana, March 2025",
        "entered_by": "planner", "entered_at": WHEN, "jurisdictions": PLACES, "cycle": CYCLE,
        "today": date(2026, 1, 10),
    }  # fmt: skip
    fields.update(changes)
    return read_actual(SPECS[code], **fields)  # type: ignore[arg-type]


def test_read_actual_accepts_exact_values() -> None:
    a = read()
    assert (a.value, a.sex, a.jurisdiction, a.replaces) == (25, "female", "ALB", None)
    assert read(value="1,250").value == 1250
    assert read(value=12).value == 12
    assert read(value=12.0).value == 12
    assert read("3.4.a", sex=None, value="72.5").value == Decimal("72.5")
    assert read("2.5.a", sex=None, value="met").value == 1
    assert read("2.5.a", sex=None, value="0", replaces=7).value == 0
    assert read("1.2.a", sex=None, jurisdiction=None).jurisdiction is None  # regional
    assert read("2.5.a", sex=None, value=Decimal(1)).value == 1


@pytest.mark.parametrize(
    ("code", "changes", "field"),
    [
        ("1.1.a", {"value": "12.5"}, "value"),
        ("1.1.a", {"value": "-3"}, "value"),
        ("1.1.a", {"value": "1.000"}, "value"),
        ("1.1.a", {"value": "1,5"}, "value"),
        ("1.1.a", {"value": "1e3"}, "value"),
        ("1.1.a", {"value": "twelve"}, "value"),
        ("1.1.a", {"value": ""}, "value"),
        ("1.1.a", {"value": True}, "value"),
        ("1.1.a", {"value": float("nan")}, "value"),
        ("1.1.a", {"value": "99999999"}, "value"),
        ("3.4.a", {"sex": None, "value": "101"}, "value"),
        ("3.4.a", {"sex": None, "value": "12,5"}, "value"),
        ("2.5.a", {"sex": None, "value": "2"}, "value"),
        ("2.5.a", {"sex": None, "value": "0"}, "value"),  # not met: only as a correction
        ("2.5.a", {"sex": None, "jurisdiction": None}, "jurisdiction"),
        ("2.3.b", {"sex": None, "jurisdiction": None}, "jurisdiction"),  # per jurisdiction
        ("2.5.a", {"sex": None, "value": True}, "value"),
        ("1.1.a", {"sex": None}, "sex"),
        ("1.1.a", {"sex": "f"}, "sex"),
        ("1.2.a", {"sex": "male"}, "sex"),
        ("1.1.a", {"jurisdiction": "GRC"}, "jurisdiction"),
        ("1.1.a", {"period_start": date(2024, 6, 1)}, "period_start"),
        ("1.1.a", {"period_end": date(2029, 7, 1), "today": date(2030, 1, 1)}, "period_end"),
        ("1.1.a", {"period_end": date(2025, 3, 1)}, "period_end"),
        ("1.1.a", {"period_end": date(2026, 3, 1)}, "period_end"),  # in the future
        ("1.1.a", {"period_start": "2025-03-03"}, "period_start"),
        ("1.1.a", {"period_end": datetime(2025, 3, 5, 12)}, "period_end"),
        ("1.1.a", {"source": "  "}, "source"),
        ("1.1.a", {"entered_by": ""}, "entered_by"),
    ],
)
def test_read_actual_refuses_naming_the_field(code: str, changes: dict, field: str) -> None:
    with pytest.raises(ActualError) as refused:
        read(code, **changes)
    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")


def test_refusals_say_what_to_type() -> None:
    with pytest.raises(ActualError, match=r"'12\.5' is not a whole number: type a whole number"):
        read(value="12.5")
    with pytest.raises(ActualError, match="comma for decimals: type 12.5"):
        read("3.4.a", sex=None, value="12,5")


# ---------------------------------------------------------------- properties

counts = st.integers(min_value=0, max_value=2000)
days = st.dates(min_value=date(2024, 7, 2), max_value=date(2029, 6, 30))


@settings(max_examples=150, deadline=None)
@given(a=counts, b=counts, as_of=days,
       code=st.sampled_from(["1.1.a", "1.2.a", "2.4.a", "5.5.a", "3.2.a"]))  # fmt: skip
def test_status_is_monotonic_in_the_actual_for_increasing_indicators(
    a: int, b: int, as_of: date, code: str
) -> None:
    rank = {Status.OFF_TRACK: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2, Status.ACHIEVED: 3}
    low, high = sorted((a, b))
    s = SPECS[code]

    def status(value: int) -> Status:
        one = entry(code, as_of, as_of, value, sex="female" if s.by_sex else None)
        return assess(s, [one], as_of, RULE).status

    assert rank[status(low)] <= rank[status(high)]


@settings(max_examples=100, deadline=None)
@given(when=days, later=st.integers(min_value=0, max_value=2000),
       code=st.sampled_from(sorted(SPECS)))  # fmt: skip
def test_expected_never_falls_for_increasing_targets(when: date, later: int, code: str) -> None:
    s = SPECS[code]
    before, after = expected_as_of(s, when), expected_as_of(s, when + timedelta(days=later))
    if before is not None:
        assert after is not None and before <= after
        goals = [v for v in (s.start_value, s.target, *(i.value for i in s.interim_targets))
                 if v is not None]  # fmt: skip
        assert min(goals) <= before <= max(goals)


@st.composite
def histories(draw: st.DrawFn) -> list[Actual]:
    n = draw(st.integers(min_value=0, max_value=12))
    items = []
    for i in range(1, n + 1):
        target = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=n)))
        replaces = target if target is not None and target != i else None
        y = draw(st.sampled_from([2024, 2025, 2026]))
        items.append(year("1.2.a", y, draw(counts), jurisdiction=draw(st.sampled_from(PLACES)),
                          id=i, replaces=replaces))  # fmt: skip
    return items


@settings(max_examples=150, deadline=None)
@given(items=histories(), seed=st.randoms(use_true_random=False))
def test_current_is_idempotent_and_order_independent(items: list[Actual], seed) -> None:
    once = current(items)
    assert current(once) == once
    shuffled = list(items)
    seed.shuffle(shuffled)
    assert current(shuffled) == once
    replaced = {a.replaces for a in items}
    assert all(a.id not in replaced for a in once)
    assert len(once) == len([a for a in items if a.id not in replaced])


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.tuples(st.sampled_from([2024, 2025, 2026, 2027]),
                                 st.sampled_from(PLACES), counts), max_size=20))  # fmt: skip
def test_a_cumulative_actual_is_the_sum_of_the_periods_ended(values: list) -> None:
    items = [year("5.2.a", y, v, jurisdiction=j) for y, j, v in values]
    for as_of in (date(2025, 12, 31), date(2027, 12, 31)):
        ended = [v for y, _j, v in values if date(y, 12, 31) <= as_of]
        expected = Decimal(sum(ended)) if ended else None
        assert actual_as_of(SPECS["5.2.a"], items, as_of) == expected
    end = date(2027, 12, 31)
    by_year = sum(actual_as_of(SPECS["5.2.a"], [a for a in items if a.period_end.year == y], end)
                  or 0 for y in (2024, 2025, 2026, 2027))  # fmt: skip
    assert by_year == (actual_as_of(SPECS["5.2.a"], items, date(2027, 12, 31)) or 0)


@settings(max_examples=100, deadline=None)
@given(a=st.integers(min_value=0, max_value=100), b=st.integers(min_value=0, max_value=100),
       as_of=days)  # fmt: skip
def test_status_is_antitone_in_the_actual_when_lower_is_better(a: int, b: int,
                                                               as_of: date) -> None:  # fmt: skip
    rank = {Status.OFF_TRACK: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2, Status.ACHIEVED: 3}
    s = dataclasses.replace(SPECS["2.3.a"], direction=Direction.DECREASE,
                            baseline=Decimal(50), target=Decimal(30))  # fmt: skip
    low, high = sorted((a, b))

    def status(value: int) -> Status:
        return assess(s, [entry("2.3.a", as_of, as_of, value)], as_of, RULE).status

    assert rank[status(low)] >= rank[status(high)]


def test_the_path_passes_every_target_on_its_date() -> None:
    for s in SPECS.values():
        if s.start_value is None:
            continue
        for i in s.interim_targets:
            assert expected_as_of(s, i.due) == i.value, s.code
        if s.target is not None:
            assert expected_as_of(s, s.target_due) == s.target, s.code
