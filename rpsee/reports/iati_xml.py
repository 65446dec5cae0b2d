"""An IatiFile written as IATI 2.03 XML (lxml), elements in the schema's order, amounts as
plain decimals with two places, dates as ISO dates; user text is escaped by the serialiser."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from rpsee.domain.iati.model import (
    Budget,
    IatiActivity,
    IatiFile,
    Indicator,
    Org,
    Period,
    Result,
    Transaction,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEFAULT_ELEMENTS = {"collaboration_type": "collaboration-type", "flow_type": "default-flow-type",
                    "finance_type": "default-finance-type", "aid_type": "default-aid-type",
                    "tied_status": "default-tied-status"}  # fmt: skip


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})


def _narrative(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = _sub(parent, tag, **attrs)
    etree.SubElement(element, "narrative").text = text
    return element


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _org(parent: etree._Element, tag: str, org: Org) -> None:
    attrs = {"type": org.type}
    if org.ref:
        attrs["ref"] = org.ref
    if org.role:
        attrs["role"] = org.role
    _narrative(parent, tag, org.name, **attrs)


def _period(parent: etree._Element, period: Period) -> None:
    _sub(parent, "period-start", iso_date=period.start.isoformat())
    _sub(parent, "period-end", iso_date=period.end.isoformat())


def _value(parent: etree._Element, value: Decimal, day: str) -> None:
    _sub(parent, "value", currency="USD", value_date=day).text = _money(value)


def _budget(parent: etree._Element, b: Budget) -> None:
    element = _sub(parent, "budget", type="1", status=b.status)
    _period(element, b.period)
    _value(element, b.value, b.period.start.isoformat())


def _transaction(parent: etree._Element, t: Transaction) -> None:
    element = _sub(parent, "transaction")
    _sub(element, "transaction-type", code=t.type)
    _sub(element, "transaction-date", iso_date=t.day.isoformat())
    _value(element, t.value, t.day.isoformat())
    _narrative(element, "description", t.description)
    if t.provider:
        _org(element, "provider-org", t.provider)
    if t.receiver:
        _org(element, "receiver-org", t.receiver)


def _indicator(parent: etree._Element, i: Indicator) -> None:
    element = _sub(parent, "indicator", measure=i.measure, ascending="1" if i.ascending else "0")
    _narrative(element, "title", i.title)
    if i.baseline is not None and i.baseline_year is not None:
        _sub(element, "baseline", year=str(i.baseline_year), value=f"{i.baseline.normalize():f}")
    for p in i.periods:
        period = _sub(element, "period")
        _period(period, p.period)
        if p.target is not None:
            _sub(period, "target", value=f"{p.target.normalize():f}")
        if p.actual is not None:
            _sub(period, "actual", value=f"{p.actual.normalize():f}")


def _result(parent: etree._Element, r: Result) -> None:
    element = _sub(parent, "result", type="1", aggregation_status="0")
    _narrative(element, "title", r.title)
    for i in r.indicators:
        _indicator(element, i)


def _activity(root: etree._Element, a: IatiActivity, f: IatiFile) -> None:
    element = _sub(root, "iati-activity", default_currency="USD", hierarchy=str(a.hierarchy),
                   last_updated_datetime=f.generated.strftime("%Y-%m-%dT%H:%M:%SZ"))
    element.set(XML_LANG, "en")
    etree.SubElement(element, "iati-identifier").text = a.identifier
    _org(element, "reporting-org", f.reporting_org)
    _narrative(element, "title", a.title)
    for kind, text in a.descriptions:
        _narrative(element, "description", text, type=kind)
    for org in a.participating:
        _org(element, "participating-org", org)
    _sub(element, "activity-status", code=a.status)
    for kind, day in a.dates:
        _sub(element, "activity-date", type=kind, iso_date=day.isoformat())
    _sub(element, "activity-scope", code="2")  # regional
    for code, share in a.countries:
        _sub(element, "recipient-country", code=code, percentage=f"{share:.2f}")
    for code, share in a.sectors:
        _sub(element, "sector", vocabulary="1", code=code, percentage=f"{share:.2f}")
    for target in a.sdg_targets:
        _sub(element, "tag", vocabulary="3", code=target)
    for code, significance, name in a.policy_markers:
        _narrative(element, "policy-marker", name, vocabulary="1", code=code,
                   significance=significance)  # fmt: skip
    for key, code in f.defaults:
        attrs = {"code": code} if key != "aid_type" else {"code": code, "vocabulary": "1"}
        _sub(element, DEFAULT_ELEMENTS[key], **attrs)
    for b in a.budgets:
        _budget(element, b)
    for d in a.disbursements:
        planned = _sub(element, "planned-disbursement", type="1")
        _period(planned, d.period)
        _value(planned, d.value, d.period.start.isoformat())
        _org(planned, "provider-org", d.provider)
    for t in a.transactions:
        _transaction(element, t)
    for kind, ref in a.related:
        _sub(element, "related-activity", ref=ref, type=kind)
    for r in a.results:
        _result(element, r)


def write(f: IatiFile) -> bytes:
    """The file as UTF-8 XML bytes."""
    root = etree.Element("iati-activities", {
        "version": "2.03", "generated-datetime": f.generated.strftime("%Y-%m-%dT%H:%M:%SZ")})
    for a in f.activities:
        _activity(root, a, f)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
