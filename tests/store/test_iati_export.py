"""The IATI 2.03 export through its service, read back as XML: the demo file and the 10x file
pass the XSD, the IATI Standard ruleset and the codelists; every figure equals the pages' own
to the cent (budgets: the Envelope & allocation page's planned total of the version in use, or
the envelope; expenditure: the Delivery page's; planned disbursements and incoming money: the
pipeline's hard tranches); percentages add to exactly 100.00; the hierarchy's links; no
confidential donor named; who may export; user text escaped; bad settings refused naming the
entry. The figures are compared on SQLite and PostgreSQL; the rest on SQLite (the rules are in
Python, the same on every engine)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from rpsee.domain.iati.build import CONFIDENTIAL, build
from rpsee.domain.iati.settings import IatiSettingsError, load_settings
from rpsee.domain.requirement import compare_year
from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.reports.iati_check import check
from rpsee.reports.iati_xml import write
from rpsee.services import (
    delivery,
    expenditure,
    iati,
    pipeline,
    planning,
    programme,
    staffing,
    workplans,
)
from rpsee.store.data_files import load_reference, read_yaml

PLANNER = CurrentUser("demo.planner", "Planner", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "Finance", Role.FINANCE)
OBSERVER = CurrentUser("demo.observer", "Observer (Austria)", Role.OBSERVER, "AUT")
PSC = CurrentUser("demo.psc", "PSC", Role.PSC_MEMBER)
ADMIN = CurrentUser("demo.admin", "Admin", Role.ADMIN)
HUNDRED = Decimal("100.00")
HOSTILE = "Crime & justice <SEE> \"2024–2029\" 'RP' ]]> &amp; <!-- x -->"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):  # noqa: ANN001, ANN201
    from rpsee.services.bootstrap import prepare
    from rpsee.store.db import dispose

    url = f"sqlite:///{tmp_path_factory.mktemp('iati') / 'iati.sqlite'}"
    prepare(url)  # the demo: 2026 approved at its meeting, 2027 a draft in use
    yield url
    dispose(url)


@pytest.fixture(scope="module")
def ten(tmp_path_factory):  # noqa: ANN001, ANN201
    from bench.workbook import _database
    from rpsee.store.db import dispose

    url = _database(tmp_path_factory.mktemp("iati10"), 10)  # the benchmarks' 10x database
    yield url
    dispose(url)


# ------------------------------------------------------------------ reading the file back


def _root(xml: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(xml, parser)


def _parent(root: etree._Element) -> etree._Element:
    (parent,) = root.findall("iati-activity[@hierarchy='1']")
    return parent


def _children(root: etree._Element) -> list[etree._Element]:
    return root.findall("iati-activity[@hierarchy='2']")


def _value(element: etree._Element) -> Decimal:
    text = element.findtext("value")
    assert text is not None and text == f"{Decimal(text):.2f}", text  # two places, always
    return Decimal(text)


def _year(element: etree._Element, path: str) -> int:
    return int(element.find(path).get("iso-date")[:4])


def _budgets(activity: etree._Element) -> dict[int, tuple[str, Decimal]]:
    found: dict[int, tuple[str, Decimal]] = {}
    for b in activity.findall("budget"):
        year = _year(b, "period-start")
        assert year not in found, f"two budgets for {year}"
        assert _year(b, "period-end") == year  # a budget period is at most one year
        found[year] = (b.get("status"), _value(b))
    return found


def _by_year(activity: etree._Element, kind: str) -> dict[int, Decimal]:
    found: dict[int, Decimal] = {}
    for t in activity.findall("transaction"):
        if t.find("transaction-type").get("code") == kind:
            year = _year(t, "transaction-date")
            found[year] = found.get(year, Decimal(0)) + _value(t)
    return found


def _by_provider(activity: etree._Element, kind: str) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for t in activity.findall("transaction"):
        if t.find("transaction-type").get("code") == kind:
            name = t.findtext("provider-org/narrative")
            found[name] = found.get(name, Decimal(0)) + _value(t)
    return found


# ------------------------------------------------------------------ the pages' figures


def _hard_money(user: CurrentUser, url: str) -> tuple[dict[int, Decimal], dict[str, Decimal]]:
    """The pipeline's hard tranches in USD: by year, and by provider as the file names it
    (confidential contributions as the one aggregate)."""
    view = pipeline.load(user, url=url)
    ref = programme.reference(user, url=url)
    names = ref.donor_names()
    confidential = {c.id for c in view.contributions if c.confidential}
    years: dict[int, Decimal] = {}
    donors: dict[str, Decimal] = {}
    for t in view.tranches:
        if t.status != "hard":
            continue
        years[t.year] = years.get(t.year, Decimal(0)) + t.usd
        name = CONFIDENTIAL if t.contribution_id in confidential else names[t.donor]
        donors[name] = donors.get(name, Decimal(0)) + t.usd
    return years, donors


def _assert_figures_are_the_pages(url: str) -> None:
    """Every money figure of the file against the pages' own, to the cent."""
    today = date.today()
    root = _root(iati.export(FINANCE, today, url=url))
    parent, children = _parent(root), _children(root)
    # the Envelope & allocation page's figures, computed as its cache does (rpsee/ui/cache.py)
    ref = programme.reference(FINANCE, url=url)
    envelope = planning.settings(FINANCE, url=url)
    data = staffing.load(FINANCE, url=url)
    costing = staffing.costing(data.plans, data.rates, ref)
    by_year = workplans.lines_in_use(FINANCE, url=url)
    used = {p.year: p for p in workplans.list_workplans(FINANCE, url=url) if p.in_use}
    assert set(used) == set(by_year)
    expected: dict[int, tuple[str, Decimal]] = {}
    areas: dict[str, dict[int, Decimal]] = {a.code: {} for a in ref.areas}
    for year in ref.figures.cycle_years:
        c = compare_year(year, envelope, by_year.get(year, []), costing, ref)
        if year in used:
            status = "2" if used[year].status == "approved" else "1"
            expected[year] = (status, c.area_total.planned)
            for row in c.areas:
                areas[row.key][year] = row.planned
        else:
            expected[year] = ("1", c.envelope)
    expected = {y: v for y, v in expected.items() if v[1] > 0}  # no budget of nothing
    assert _budgets(parent) == expected
    # the children's budgets of a year with a version add up to the parent's, each its area's
    assert len(children) == len(ref.areas)
    child_budgets = {c.findtext("iati-identifier").rsplit("-", 1)[1]: _budgets(c)
                     for c in children}  # fmt: skip
    for year in used:
        if year not in expected:
            continue
        parts = [child_budgets[a][year][1] for a in child_budgets if year in child_budgets[a]]
        assert sum(parts, Decimal(0)) == expected[year][1], year
        for code, planned in areas.items():
            if planned[year] > 0:
                assert child_budgets[code][year] == (expected[year][0], planned[year])
    # expenditure: the Delivery page's spending per year
    spent = {y: delivery.delivery(FINANCE, y, today, url=url, warnings=False).spent_total
             for y in expenditure.spent_years(FINANCE, url=url)}  # fmt: skip
    assert spent and _by_year(parent, "4") == {y: v for y, v in spent.items() if v}
    # planned disbursements: the hard tranches in USD per year
    hard_years, hard_donors = _hard_money(FINANCE, url)
    planned: dict[int, Decimal] = {}
    for d in parent.findall("planned-disbursement"):
        year = _year(d, "period-start")
        planned[year] = planned.get(year, Decimal(0)) + _value(d)
    assert hard_years and planned == hard_years
    # incoming commitments: all the hard money, per provider; incoming funds: that of the
    # years begun
    assert _by_provider(parent, "11") == hard_donors
    begun = {y: v for y, v in hard_years.items()
             if max(date(y, 1, 1), ref.figures.cycle_days[0]) <= today}  # fmt: skip
    assert _by_year(parent, "1") == begun
    if sum(begun.values()) == sum(hard_years.values()):
        assert _by_provider(parent, "1") == hard_donors


def test_figures_equal_the_pages_to_the_cent(empty_db: str) -> None:
    from rpsee.services.bootstrap import prepare

    prepare(empty_db)
    _assert_figures_are_the_pages(empty_db)


def test_demo_budgets_committed_for_the_approved_year_only(demo: str) -> None:
    root = _root(iati.export(FINANCE, url=demo))
    budgets = _budgets(_parent(root))
    assert set(budgets) == {2024, 2025, 2026, 2027, 2028, 2029}
    assert {y for y, (status, _v) in budgets.items() if status == "2"} == {2026}
    assert budgets[2026][1] == Decimal("10584656.46")  # README: the 2026 planned total
    for child in _children(root):
        assert {y for y, (s, _v) in _budgets(child).items() if s == "2"} <= {2026}


def test_figures_equal_the_pages_at_10x(ten: str) -> None:
    _assert_figures_are_the_pages(ten)


# ------------------------------------------------------------------ validity


def test_demo_file_passes_xsd_ruleset_and_codelists(demo: str) -> None:
    xml = iati.export(FINANCE, url=demo)
    assert check(xml) == []
    assert iati.export(PLANNER, url=demo).count(b"<iati-activity ") == 6


def test_10x_file_passes_xsd_ruleset_and_codelists(ten: str) -> None:
    xml = iati.export(FINANCE, url=ten)
    assert check(xml) == []
    root = _root(xml)
    assert len(_children(root)) == 5 and _parent(root).findall("budget")


# ------------------------------------------------------------------ structure


def test_percentages_add_to_exactly_100_in_every_activity(demo: str, ten: str) -> None:
    for url in (demo, ten):
        for activity in _root(iati.export(FINANCE, url=url)).findall("iati-activity"):
            where = activity.findtext("iati-identifier")
            for tag in ("recipient-country", "sector"):
                shares = [e.get("percentage") for e in activity.findall(tag)]
                assert shares, (where, tag)
                assert all(s == f"{Decimal(s):.2f}" and Decimal(s) > 0 for s in shares)
                assert sum(map(Decimal, shares), Decimal(0)) == HUNDRED, (where, tag, shares)
            codes = [e.get("code") for e in activity.findall("recipient-country")]
            assert len(codes) == len(set(codes)) and set(codes) <= set(
                iati.settings(programme.reference(FINANCE, url=url)).countries.values())


def test_identifiers_and_hierarchy_links(demo: str) -> None:
    root = _root(iati.export(FINANCE, url=demo))
    parent, children = _parent(root), _children(root)
    ids = [a.findtext("iati-identifier") for a in root.findall("iati-activity")]
    assert len(ids) == len(set(ids)) == 6
    for activity in root.findall("iati-activity"):
        org = activity.find("reporting-org").get("ref")
        assert org == "XM-DAC-41128"
        assert activity.findtext("iati-identifier").startswith(f"{org}-")
    parent_id = parent.findtext("iati-identifier")
    child_ids = [c.findtext("iati-identifier") for c in children]
    assert [(r.get("type"), r.get("ref")) for r in parent.findall("related-activity")] == [
        ("2", c) for c in child_ids]
    for child in children:
        assert child.findtext("iati-identifier").startswith(f"{parent_id}-")
        assert [(r.get("type"), r.get("ref"))
                for r in child.findall("related-activity")] == [("1", parent_id)]  # fmt: skip


# ------------------------------------------------------------------ confidentiality, access


def test_no_confidential_donor_is_named(demo: str, ten: str) -> None:
    for url in (demo, ten):
        xml = iati.export(FINANCE, url=url)
        text = xml.decode("utf-8")
        names = programme.reference(FINANCE, url=url).donor_names()
        every = pipeline.load(FINANCE, url=url).contributions
        hidden = [c for c in every if c.confidential]
        named = {c.donor for c in every if not c.confidential}
        assert {c.donor for c in hidden} >= {"ITA", "AUT"}
        for c in hidden:
            assert c.reference not in text
            if c.donor not in named:  # a donor with only confidential money: never named
                assert names[c.donor] not in text, names[c.donor]
        assert "Italy" not in text and "Austria" not in text
        parent = _parent(_root(xml))
        providers = {e.findtext("narrative") for e in parent.iter("provider-org")}
        assert CONFIDENTIAL in providers
        assert CONFIDENTIAL in {e.findtext("narrative")
                                for e in parent.findall("participating-org")}  # fmt: skip
        (note,) = [d.findtext("narrative") for d in parent.findall("description[@type='4']")]
        assert CONFIDENTIAL in note and "confidential" in note.split(CONFIDENTIAL)[0]


@pytest.mark.parametrize("user", [OBSERVER, PSC, ADMIN], ids=lambda u: u.role.value)
def test_only_planners_and_finance_export(demo: str, user: CurrentUser) -> None:
    for call in (iati.export, iati.activities, iati.inputs):
        with pytest.raises(PermissionDenied):
            call(user, url=demo)


def test_planner_and_finance_get_the_same_file(demo: str) -> None:
    a = _root(iati.export(PLANNER, url=demo))
    b = _root(iati.export(FINANCE, url=demo))
    for tree in (a, b):
        for e in tree.iter():
            for key in ("generated-datetime", "last-updated-datetime"):
                e.attrib.pop(key, None)
    assert etree.tostring(a) == etree.tostring(b)


# ------------------------------------------------------------------ user text


def test_user_text_with_markup_characters_is_escaped(demo: str) -> None:
    """Activity lines' own titles are not in the file (only their money is): the text that is,
    the IATI activities' titles, the publisher's and the donors' names, is given by hand."""
    made = iati.inputs(FINANCE, url=demo)
    donors = tuple(replace(d, name=f"{d.name} {HOSTILE}") if d.code == "EU" else d
                   for d in made.ref.donors)  # fmt: skip
    hostile = replace(made, settings=replace(made.settings, title=HOSTILE,
                                             org_name=f"UNODC {HOSTILE}"),
                      ref=replace(made.ref, donors=donors))  # fmt: skip
    xml = write(build(hostile))
    root = _root(xml)  # strict: raises on anything not well-formed
    assert _parent(root).findtext("title/narrative") == HOSTILE
    for child in _children(root):
        assert child.findtext("title/narrative").startswith(f"{HOSTILE}: ")
    assert {e.findtext("narrative") for e in root.iter("reporting-org")} == {f"UNODC {HOSTILE}"}
    eu = f"European Union {HOSTILE}"
    assert eu in {e.findtext("narrative") for e in root.iter("provider-org")}
    assert b"<SEE>" not in xml and b"<!-- x -->" not in xml
    assert check(xml) == []


def test_workplan_line_title_with_markup_does_not_break_the_file(tmp_path) -> None:  # noqa: ANN001
    """A line saved through the workplan service with `<`, `&` and quotes in its title: the
    file still parses and passes the checks, and the figures are unchanged."""
    from rpsee.services.bootstrap import prepare
    from rpsee.services.workplans import WorkplanEdit
    from rpsee.store.db import dispose

    url = f"sqlite:///{tmp_path / 'title.sqlite'}"
    prepare(url)
    try:
        plan = next(p for p in workplans.list_workplans(PLANNER, url=url)
                    if p.year == 2027 and p.in_use)  # fmt: skip
        ref = programme.reference(PLANNER, url=url)
        lines = workplans.activities(PLANNER, plan.id, url=url)
        first = lines[0]
        before = _budgets(_parent(_root(iati.export(FINANCE, url=url))))[2027][1]
        edit = WorkplanEdit(changed=[replace(first, title=HOSTILE)])
        workplans.save(PLANNER, plan.id, edit, ref, url=url)
        assert workplans.activities(PLANNER, plan.id, url=url)[0].title == HOSTILE
        xml = iati.export(FINANCE, url=url)
        assert check(xml) == []
        assert _budgets(_parent(_root(xml)))[2027][1] == before  # same money, same figures
    finally:
        dispose(url)


# ------------------------------------------------------------------ settings


def _docs() -> tuple[dict, dict]:
    return copy.deepcopy(read_yaml("iati.yaml")), copy.deepcopy(read_yaml("dac_sectors.yaml"))


def test_the_settings_file_loads() -> None:
    doc, sectors = _docs()
    s = load_settings(doc, sectors, load_reference())
    assert s.parent_id == "XM-DAC-41128-RPSEE" and s.area_id("3") == "XM-DAC-41128-RPSEE-3"
    assert s.sectors["1.3"] == {"12330": Decimal(50), "16063": Decimal(50)}


def _refused(doc: dict, sectors: dict) -> str:
    with pytest.raises(IatiSettingsError) as caught:
        load_settings(doc, sectors, load_reference())
    return str(caught.value)


def test_unknown_sector_code_is_refused_naming_output_and_code() -> None:
    doc, sectors = _docs()
    doc["sectors"]["2.4"] = {"99999": 100}
    message = _refused(doc, sectors)
    assert "output 2.4" in message and "'99999'" in message and "not a DAC" in message


def test_withdrawn_sector_code_is_refused_naming_output_and_code() -> None:
    doc, sectors = _docs()
    assert sectors["sectors"]["15120"]["status"] == "withdrawn"
    doc["sectors"]["3.2"] = {"15113": 60, "15120": 40}
    message = _refused(doc, sectors)
    assert "output 3.2" in message and "'15120'" in message and "withdrawn" in message


def test_shares_not_adding_to_100_are_refused_naming_the_output() -> None:
    doc, sectors = _docs()
    doc["sectors"]["5.2"] = {"15130": 50, "15134": "49.99"}
    message = _refused(doc, sectors)
    assert "output 5.2" in message and "99.99" in message and "not 100" in message
    doc["sectors"]["5.2"] = {"15130": 60, "15134": 50}
    assert "output 5.2" in _refused(doc, sectors) and "110" in _refused(doc, sectors)


def test_missing_jurisdiction_is_refused() -> None:
    doc, sectors = _docs()
    del doc["countries"]["XKX"]
    message = _refused(doc, sectors)
    assert message.startswith("countries:") and "XKX" in message
    assert message.startswith("countries: XKX missing (give every jurisdiction: ")


def test_unknown_donor_is_refused_naming_it() -> None:
    doc, sectors = _docs()
    doc["donor_types"]["XYZ"] = 10
    message = _refused(doc, sectors)
    assert message.startswith("donor_types:") and "XYZ" in message
    doc, sectors = _docs()
    del doc["donor_types"]["ITA"]
    message = _refused(doc, sectors)
    assert "donor_types" in message and "ITA" in message


def test_unknown_or_missing_output_is_refused_naming_it() -> None:
    doc, sectors = _docs()
    doc["sectors"]["9.9"] = {"15130": 100}
    assert "'9.9'" in _refused(doc, sectors)
    doc, sectors = _docs()
    del doc["sectors"]["4.3"]
    assert "4.3" in _refused(doc, sectors)
