"""The IATI 2.03 checker (rpsee/reports/iati_check.py) against the official files in
../shared/iati: the sample passes; each rule type, XSD error and unknown code is reported."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from rpsee.reports import iati_check
from rpsee.reports.iati_check import IatiFilesMissing, IatiProblem, check, check_ruleset

SHARED = Path(__file__).resolve().parents[3] / "shared"  # ../shared beside the project
IDENT = "XM-DAC-41128-EXAMPLE-RP-2026"

Edit = Callable[[etree._Element], None]


def sample() -> etree._ElementTree:
    """The official sample, parsed (IatiFilesMissing names the path when ../shared is absent)."""
    return etree.parse(str(iati_check.iati_folder(SHARED) / "sample-activity.xml"))


def to_bytes(tree: etree._ElementTree) -> bytes:
    """The tree as an XML file."""
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def edited(*edits: Edit) -> bytes:
    """The sample with edits applied to its activity, as an XML file."""
    tree = sample()
    for edit in edits:
        edit(tree.getroot().find("iati-activity"))
    return to_bytes(tree)


def kinds(problems: list[IatiProblem]) -> set[str]:
    """The kinds of the problems."""
    return {p.kind for p in problems}


def insert_before(activity: etree._Element, tag: str, xml: str) -> None:
    """Put new elements (XML text, one or more) before the first `tag` child."""
    index = activity.index(activity.find(tag))
    for offset, child in enumerate(etree.fromstring(f"<x>{xml}</x>")):
        activity.insert(index + offset, child)


def set_attr(path: str, name: str, value: str) -> Edit:
    """An edit setting an attribute of the first element at `path`."""
    return lambda a: a.find(path).set(name, value)


def remove(path: str) -> Edit:
    """An edit removing the elements at `path`."""
    return lambda a: [e.getparent().remove(e) for e in a.findall(path)]


def delete_attr(path: str, name: str) -> Edit:
    """An edit deleting an attribute of the elements at `path` (the activity for ".")."""
    return lambda a: [e.attrib.pop(name) for e in ([a] if path == "." else a.findall(path))]


# ------------------------------------------------------------------ (a) the sample


def test_the_sample_passes_schema_ruleset_and_codelists() -> None:
    assert check(SHARED.joinpath("iati", "sample-activity.xml").read_bytes(), SHARED) == []


def test_the_default_shared_folder_is_the_one_beside_the_project() -> None:
    assert iati_check.DEFAULT_SHARED.resolve() == SHARED.resolve()
    assert check(to_bytes(sample())) == []


def test_a_missing_folder_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(IatiFilesMissing, match=re.escape(str(tmp_path / "iati"))):
        check(b"<iati-activities/>", tmp_path)
    (tmp_path / "iati").mkdir()
    with pytest.raises(IatiFilesMissing, match="iati-activities-schema.xsd"):
        check(b"<iati-activities/>", tmp_path)


# ------------------------------------------------------------------ (b) each rule type

DONOR = "participating-org[@role='1']"
SECTORS = "sector"
# rule type, rule id, edit breaking exactly that rule, edit fixing it again
RULE_CASES: list[tuple[str, str, list[Edit], list[Edit]]] = [
    ("atleast_one", "6.11.1",
     [remove("activity-date[@type='1']")],
     [lambda a: insert_before(a, "activity-date",
                              '<activity-date type="2" iso-date="2026-01-05"/>')]),
    ("no_more_than_one", "107.1.2",
     [lambda a: insert_before(a, "budget", '<default-aid-type code="C01"/><default-aid-type '
                                           'code="B01" vocabulary="1"/>')],
     [remove("default-aid-type[@vocabulary='1']")]),
    ("unique", "1.1.3",
     [set_attr("reporting-org", "ref", IDENT),
      lambda a: insert_before(a, "activity-status",
                              '<other-identifier ref="XM-DAC-41128" type="B1"/>')],
     [set_attr("reporting-org", "ref", "XM-DAC-41128")]),
    ("startswith", "1.1.21",
     [lambda a: setattr(a.find("iati-identifier"), "text", "XI-OLD-RP-2026")],
     [lambda a: insert_before(a, "activity-status", '<other-identifier ref="XI-OLD" type="B1"/>')]),
    ("one_or_all", "4.1.1",
     [delete_attr(".", "{http://www.w3.org/XML/1998/namespace}lang")],
     [lambda a: [n.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
                 for n in a.iter("narrative")]]),
    ("date_now", "11.1.1",
     [set_attr(".", "last-updated-datetime", "2099-01-01T00:00:00Z")],
     [set_attr(".", "last-updated-datetime", "2026-01-02T00:00:00+01:00")]),
    ("date_order", "11.1.2",
     [set_attr("activity-date[@type='3']", "iso-date", "2025-12-31")],
     [set_attr("activity-date[@type='1']", "iso-date", "2025-06-01")]),
    ("time_limit", "7.5.3",
     [set_attr("budget/period-end", "iso-date", "2027-06-30")],
     [set_attr("budget/period-start", "iso-date", "2026-07-01")]),
    ("no_spaces", "1.9.1",
     [set_attr(DONOR, "activity-id", " XI-EXAMPLE-DONOR-1 ")],
     [set_attr(DONOR, "activity-id", "XI-EXAMPLE-DONOR-1")]),
    ("strict_sum", "2.1.2",
     [set_attr("sector[3]", "percentage", "20")],
     [set_attr("sector[1]", "percentage", "50")]),
    ("range", "12.2.1",
     [lambda a: insert_before(a, "result", '<capital-spend percentage="120"/>')],
     [set_attr("capital-spend", "percentage", "12.5")]),
    ("if_then", "2.1.4",
     [remove("sector[@code='15113']"), remove("sector[@code='15130']"),
      set_attr("sector", "percentage", "40")],
     [delete_attr("sector", "percentage")]),
    # 2.1.4 again, as the loop over non-DAC sector vocabularies runs it (vocabulary 2 here)
    ("loop/if_then", "2.1.4",
     [lambda a: insert_before(a, "budget", '<sector vocabulary="2" code="160" percentage="50"/>')],
     [set_attr("sector[@vocabulary='2']", "percentage", "100")]),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "rule_id", "breaks", "fixes"), RULE_CASES,
                         ids=[c[0] for c in RULE_CASES])  # fmt: skip
def test_each_rule_type_is_reported_once_and_passes_when_fixed(
    rule: str, rule_id: str, breaks: list[Edit], fixes: list[Edit]
) -> None:
    problems = check(edited(*breaks), SHARED)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.kind == "rule"
    assert f" {rule_id} ({rule})" in problem.message
    assert problem.where.startswith("XI-OLD-RP-2026" if rule == "startswith" else IDENT)
    assert check(edited(*breaks, *fixes), SHARED) == []


def test_problem_messages_say_what_is_wrong_and_where() -> None:
    xml = edited(set_attr("budget/period-end", "iso-date", "2027-06-30"))
    line = etree.fromstring(xml).find("iati-activity/budget").sourceline
    (problem,) = check(xml, SHARED)
    assert problem == IatiProblem(
        "rule",
        f"{IDENT}: /iati-activities/iati-activity/budget (line {line})",
        "error 7.5.3 (time_limit): Budget Period must not be longer than one year. "
        "Here: 2026-01-01 to 2027-06-30 is 545 days, more than a year (365 days).",
    )
    (problem,) = check(edited(set_attr("sector[3]", "percentage", "20")), SHARED)
    assert "add up to 90, not 100" in problem.message
    assert "'40', '30', '20'" in problem.message


# regex_matches and between_dates: every regex_matches case of standard.json needs the IATI
# Registry (idCondition, skipped) and between_dates occurs only for organisation files, so both
# are checked here with a small ruleset of the same form, run by check_ruleset.
OWN_RULES = {
    "/iati-activities/iati-activity": {
        "regex_matches": {"cases": [{
            "paths": ["iati-identifier"], "regex": "^[^\\/\\&\\|\\?]+$",
            "ruleInfo": {"id": "T.1", "severity": "warning", "message": "No / & | ?."}}]},
    },
    "/iati-activities/iati-activity/budget": {
        "between_dates": {"cases": [{
            "date": "value/@value-date", "start": "period-start/@iso-date",
            "end": "period-end/@iso-date",
            "ruleInfo": {"id": "T.2", "severity": "error", "message": "Value date in period."}}]},
    },
}  # fmt: skip
NOW = datetime(2026, 12, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rule", "rule_id", "breaks", "fixes"),
    [
        ("regex_matches", "T.1",
         lambda a: setattr(a.find("iati-identifier"), "text", f"{IDENT}/A"),
         lambda a: setattr(a.find("iati-identifier"), "text", f"{IDENT}-A")),
        ("between_dates", "T.2",
         set_attr("budget/value", "value-date", "2025-12-01"),
         set_attr("budget/value", "value-date", "2026-12-31")),
    ],
    ids=["regex_matches", "between_dates"],
)  # fmt: skip
def test_rule_types_standard_json_does_not_reach_offline(
    rule: str, rule_id: str, breaks: Edit, fixes: Edit
) -> None:
    broken = etree.ElementTree(etree.fromstring(edited(breaks)))
    (problem,) = check_ruleset(broken, OWN_RULES, now=NOW)
    assert problem.kind == "rule"
    assert f" {rule_id} ({rule})" in problem.message
    assert check_ruleset(etree.ElementTree(etree.fromstring(edited(breaks, fixes))), OWN_RULES,
                         now=NOW) == []  # fmt: skip
    assert check(edited(breaks), SHARED) == []  # the standard ruleset has no such offline case


def test_the_skipped_registry_rules_are_the_ones_the_docstring_lists() -> None:
    data = json.loads((iati_check.iati_folder(SHARED) / "rulesets/standard.json").read_text())
    skipped = {
        case["ruleInfo"]["id"]
        for context, rules in data.items() if not context.startswith("/iati-organisations")
        for block in rules.values() for case in block["cases"] if "idCondition" in case
    }  # fmt: skip
    listed = set(re.findall(r"^  (\d+\.\d+\.\d+) \(", iati_check.__doc__ or "", re.M))
    assert skipped == listed == {"1.14.8", "1.3.13", "1.14.13", "1.11.13", "1.10.13",
                                 "1.15.13", "1.8.13"}  # fmt: skip


def test_an_unknown_rule_type_or_keyword_is_refused() -> None:
    with pytest.raises(ValueError, match="'dependent'"):
        iati_check.load_ruleset({"/iati-activities/iati-activity": {"dependent": {"cases": []}}})
    with pytest.raises(ValueError, match="'title'"):
        iati_check.load_ruleset({"/iati-activities/iati-activity": {
            "one_or_all": {"cases": [{"one": "@x", "all": "title"}]}}})  # fmt: skip


def test_loop_substitutes_only_the_keys_in_subs() -> None:
    # 2.1.2 in the loop over non-DAC vocabularies names $1 in its condition, which is not in
    # "subs": the condition stays literal and the case never applies (as in IATI's validator).
    extra = '<sector vocabulary="2" code="160" percentage="50"/><sector vocabulary="2" ' \
            'code="151" percentage="20"/>'  # fmt: skip
    assert check(edited(lambda a: insert_before(a, "budget", extra)), SHARED) == []
    own = {"/iati-activities/iati-activity": {"loop": {"cases": [{
        "foreach": "sector/@vocabulary", "subs": ["paths", "condition"],
        "do": {"strict_sum": {"cases": [{
            "condition": "count(sector[@vocabulary = '$1']) > 1",
            "paths": ["sector[@vocabulary = '$1']/@percentage"], "sum": 100}]}}}]}}}  # fmt: skip
    tree = etree.ElementTree(etree.fromstring(edited(lambda a: insert_before(a, "budget", extra))))
    (problem,) = check_ruleset(tree, own, now=NOW)
    assert "(loop/strict_sum)" in problem.message
    assert "add up to 70, not 100" in problem.message


def test_date_rules_compare_every_matched_date_and_ignore_missing_ones() -> None:
    two = '<budget type="1" status="1"><period-start iso-date="2027-01-01"/><period-end ' \
          'iso-date="2026-12-01"/><value currency="USD" value-date="2026-01-01">1</value>' \
          '</budget>'  # fmt: skip
    problems = check(edited(lambda a: insert_before(a, "planned-disbursement", two)), SHARED)
    assert [(p.kind, "8.6.3" in p.message, "budget[2]" in p.where) for p in problems] == [
        ("rule", True, True)
    ]
    assert check(edited(remove("activity-date[@type='3']")), SHARED) == []


# ------------------------------------------------------------------ (c) XSD


def test_elements_out_of_order_are_xsd_problems() -> None:
    def status_after_countries(a: etree._Element) -> None:
        status = a.find("activity-status")
        a.remove(status)
        insert_before(a, "sector", etree.tostring(status, encoding="unicode"))

    problems = check(edited(status_after_countries), SHARED)
    assert kinds(problems) == {"xsd"}
    assert any("activity-status" in p.message for p in problems)
    assert all(p.where.startswith(f"{IDENT}: line ") for p in problems)


def test_a_missing_activity_status_is_an_xsd_problem() -> None:
    problems = check(edited(remove("activity-status")), SHARED)
    assert len(problems) == 1
    assert problems[0].kind == "xsd"
    assert "activity-date" in problems[0].message
    assert "Expected is one of" in problems[0].message and "activity-status" in problems[0].message


def test_xsd_problems_name_the_activity_they_are_in() -> None:
    tree = sample()
    second = etree.fromstring(etree.tostring(tree.getroot()[0]))
    second.find("iati-identifier").text = f"{IDENT}-B"
    second.remove(second.find("activity-status"))
    tree.getroot().append(second)
    (problem,) = check(to_bytes(tree), SHARED)
    assert problem.kind == "xsd"
    assert problem.where.startswith(f"{IDENT}-B: line ")


def test_a_file_that_is_not_xml_is_one_xsd_problem() -> None:
    (problem,) = check(b"<iati-activities><iati-activity></iati-activities>", SHARED)
    assert problem.kind == "xsd"
    assert "Not well-formed" in problem.message
    assert problem.where == "line 1"


# ------------------------------------------------------------------ (d) codelists


@pytest.mark.parametrize(
    ("edit", "value", "codelist"),
    [
        (set_attr("sector[1]", "code", "99999"), "99999", "Sector"),
        (set_attr("recipient-country[1]", "code", "ZZ"), "ZZ", "Country"),
        (lambda a: insert_before(a, "budget", '<tag vocabulary="3" code="16.99"/>'), "16.99",
         "UNSDG-Targets"),
        (lambda a: insert_before(a, "budget", '<tag vocabulary="2" code="18"/>'), "18",
         "UNSDG-Goals"),
        (set_attr("budget", "type", "3"), "3", "BudgetType"),
        (set_attr("budget/value", "currency", "USX"), "USX", "Currency"),
        (set_attr(DONOR, "role", "5"), "5", "OrganisationRole"),
    ],
    ids=["sector", "country", "sdg-target", "sdg-goal", "budget-type", "currency", "role"],
)  # fmt: skip
def test_an_unknown_code_is_a_codelist_problem_naming_it(
    edit: Edit, value: str, codelist: str
) -> None:
    (problem,) = check(edited(edit), SHARED)
    assert problem.kind == "codelist"
    assert f"'{value}' is not a code of the {codelist} codelist" in problem.message
    assert problem.where.startswith(f"{IDENT}: /iati-activities/iati-activity/")


def test_known_codes_pass_and_the_vocabulary_picks_the_list() -> None:
    tags = '<tag vocabulary="3" code="16.3"/><tag vocabulary="2" code="16"/>' \
           '<tag vocabulary="99" code="16.99"/>'  # fmt: skip
    assert check(edited(lambda a: insert_before(a, "budget", tags)), SHARED) == []


def test_a_withdrawn_code_is_reported_as_withdrawn() -> None:
    (problem,) = check(edited(set_attr("sector[1]", "code", "11321")), SHARED)
    assert problem.kind == "codelist"
    assert "'11321' is a withdrawn code of the Sector codelist" in problem.message


# ------------------------------------------------------------------ speed


def large_file(activities: int = 10, budgets: int = 15, transactions: int = 15,
               results: int = 6) -> bytes:  # fmt: skip
    """A synthetic file: the sample's activity repeated with many budgets, transactions and
    results."""
    tree = sample()
    root = tree.getroot()
    template = root[0]
    root.remove(template)
    budget = etree.tostring(template.find("budget"), encoding="unicode")
    result = etree.tostring(template.find("result"), encoding="unicode")
    transaction = (
        '<transaction><transaction-type code="3"/><transaction-date iso-date="2026-03-01"/>'
        '<value currency="USD" value-date="2026-03-01">1000.00</value></transaction>'
    )
    for number in range(activities):
        activity = etree.fromstring(etree.tostring(template))
        activity.find("iati-identifier").text = f"{IDENT}-{number}"
        insert_before(activity, "budget", budget * (budgets - 1))
        insert_before(activity, "result", transaction * transactions)
        insert_before(activity, "result", result * (results - 1))
        root.append(activity)
    return to_bytes(tree)


def test_a_large_file_checks_well_under_a_second() -> None:
    xml = large_file()
    assert xml.count(b"<budget ") + xml.count(b"<transaction>") == 300
    assert xml.count(b"<result ") == 60
    check(xml, SHARED)  # schema, ruleset and codelists loaded once per process
    started = time.perf_counter()
    problems = check(xml, SHARED)
    assert time.perf_counter() - started < 0.5
    assert problems == []


def test_conditions_use_xpath_truth_for_numbers_and_node_sets() -> None:
    def rules(then: str) -> dict:
        case = {"if": "count(sector)", "then": then, "ruleInfo": {"id": "T.3"}}
        return {"/iati-activities/iati-activity": {"if_then": {"cases": [case]}}}

    tree = sample()
    for then, fails in [("number('abc')", True), ("0", True), ("sector[@code='1']", True),
                        ("sum(sector/@percentage)", False), ("sector", False)]:  # fmt: skip
        assert len(check_ruleset(tree, rules(then), now=NOW)) == fails, then
