"""Check IATI 2.03 activity XML against the official XSD, the IATI Standard ruleset and the
codelists, all read offline from ../shared/iati (see /work/shared/iati/README.md).

`check(xml)` returns every problem found, each an `IatiProblem` of kind "xsd", "rule" or
"codelist"; an empty list means the file passed all three. The three checks all run (rules and
codelists also on a file the XSD rejects); only a file that is not well-formed XML stops at one
"xsd" problem.

Ruleset (`rulesets/standard.json`, rule types as in `rulesets/SPEC.rst`):
- Only the `/iati-activities/...` contexts (and `//title`, `//description`) are evaluated; the
  `/iati-organisations/...` contexts are skipped, this module checks activity files only.
- Implemented rule types: atleast_one, no_more_than_one, unique, startswith, one_or_all,
  date_now, date_order, time_limit, between_dates, regex_matches, no_spaces, strict_sum, range,
  if_then and loop (foreach/do/subs). A ruleset with any other rule type, or a one_or_all `all`
  keyword not known here, is refused with a ValueError rather than passed silently.
- Cases with an `idCondition` need the IATI Registry's lists of organisation ids and prefixes,
  so they cannot be evaluated offline and are skipped. In the activity contexts these are:
  1.14.8 (startswith, NOT_EXISTING_ORG_ID, reporting-org/@ref against ORG-ID-PREFIX),
  1.3.13 (regex_matches, NOT_EXISTING_ORG_ID_PREFIX, iati-identifier),
  1.14.13 (regex_matches, NOT_EXISTING_ORG_ID, reporting-org/@ref),
  1.11.13 (regex_matches, NOT_EXISTING_ORG_ID, other-identifier/owner-org/@ref),
  1.10.13 (regex_matches, NOT_EXISTING_ORG_ID, provider-org/@ref),
  1.15.13 (regex_matches, NOT_EXISTING_ORG_ID, receiver-org/@ref),
  1.8.13 (regex_matches, NOT_EXISTING_ORG_ID, participating-org/@ref).
  As every regex_matches case of standard.json has an idCondition, that rule type is only
  exercised by other rulesets (`check_ruleset`).
- Semantics follow SPEC.rst and IATI's own validator (js-validator-api): a `condition` or `if`
  is XPath-true (an empty node-set is false); `loop` substitutes `$1` only in the keys listed in
  `subs`, so a `$1` left in another key stays literal (as in IATI's validator, the loop case
  2.1.2 for sector vocabularies other than 1 never applies: its condition is not in `subs`);
  dates that are missing or not ISO dates make a date rule not apply; dates without a time
  zone are UTC; date_order, time_limit and between_dates compare every date their xpaths
  match (IATI's validator takes only the first); strict_sum rounds to 4 decimals; regex and
  no_spaces pass an empty text. Severity ("error" or "warning") is part of each message.

Codelists (`codelists/*.xml`, `codelist-items/codelist-item/code`): a value must be an active
code of its list (an item without `status` is active). A code marked `status="withdrawn"` is
reported too, as withdrawn (no longer to be used), with a message of its own.
"""

from __future__ import annotations

import bisect
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from lxml import etree

from rpsee.config import ROOT

DEFAULT_SHARED = ROOT.parent / "shared"
SCHEMA_FILE = "iati-activities-schema.xsd"
RULESET_FILE = "rulesets/standard.json"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# (xpath to the coded attributes, from the document root; codelist file name)
CODELIST_CHECKS: tuple[tuple[str, str], ...] = (
    ("/iati-activities/@version", "Version"),
    ("//@xml:lang", "Language"),
    ("//activity-status/@code", "ActivityStatus"),
    ("//activity-date/@type", "ActivityDateType"),
    ("//activity-scope/@code", "ActivityScope"),
    ("//recipient-country/@code", "Country"),
    ("//recipient-region[not(@vocabulary) or @vocabulary='1']/@code", "Region"),
    ("//recipient-region/@vocabulary", "RegionVocabulary"),
    ("//sector[not(@vocabulary) or @vocabulary='1']/@code", "Sector"),
    ("//sector[@vocabulary='2']/@code", "SectorCategory"),
    ("//sector/@vocabulary", "SectorVocabulary"),
    ("//policy-marker[not(@vocabulary) or @vocabulary='1']/@code", "PolicyMarker"),
    ("//policy-marker/@significance", "PolicySignificance"),
    ("//policy-marker/@vocabulary", "PolicyMarkerVocabulary"),
    ("//tag[@vocabulary='2']/@code", "UNSDG-Goals"),
    ("//tag[@vocabulary='3']/@code", "UNSDG-Targets"),
    ("//tag/@vocabulary", "TagVocabulary"),
    ("//budget/@type | //planned-disbursement/@type", "BudgetType"),
    ("//budget/@status", "BudgetStatus"),
    ("//transaction-type/@code", "TransactionType"),
    ("//participating-org/@role", "OrganisationRole"),
    ("//reporting-org/@type | //participating-org/@type | //provider-org/@type"
     " | //receiver-org/@type | //owner-org/@type", "OrganisationType"),
    ("//other-identifier/@type", "OtherIdentifierType"),
    ("//result/@type", "ResultType"),
    ("//indicator/@measure", "IndicatorMeasure"),
    ("//value/@currency | //loan-status/@currency | //iati-activity/@default-currency",
     "Currency"),
    ("//related-activity/@type", "RelatedActivityType"),
    ("//description/@type", "DescriptionType"),
    ("//default-aid-type[not(@vocabulary) or @vocabulary='1']/@code"
     " | //transaction/aid-type[not(@vocabulary) or @vocabulary='1']/@code", "AidType"),
    ("//default-aid-type/@vocabulary | //transaction/aid-type/@vocabulary", "AidTypeVocabulary"),
    ("//default-finance-type/@code | //transaction/finance-type/@code", "FinanceType"),
    ("//default-flow-type/@code | //transaction/flow-type/@code", "FlowType"),
    ("//default-tied-status/@code | //transaction/tied-status/@code", "TiedStatus"),
    ("//collaboration-type/@code", "CollaborationType"),
    ("//document-link/category/@code", "DocumentCategory"),
)  # fmt: skip

_LOCK = threading.Lock()
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?"
)


@dataclass(frozen=True)
class IatiProblem:
    """One thing wrong with the file: kind "xsd", "rule" or "codelist"."""

    kind: str
    where: str
    message: str


class IatiFilesMissing(FileNotFoundError):
    """The IATI schema, ruleset or codelists are not where they should be."""


# ---------------------------------------------------------------- entry point


def check(xml: bytes, shared: Path | None = None) -> list[IatiProblem]:
    """Every problem of an `iati-activities` file against the XSD, the ruleset and codelists.

    `shared` is the shared folder holding `iati/` (default: ../shared beside the project).
    """
    folder = iati_folder(shared)
    with _LOCK:  # lxml's parser, schema and compiled xpaths are shared: one check at a time
        try:
            tree = etree.ElementTree(etree.fromstring(xml, _PARSER))
        except etree.XMLSyntaxError as error:
            where, text = f"line {error.lineno}", f"Not well-formed XML: {error.msg}"
            return [IatiProblem("xsd", where, text)]
        ruleset = _ruleset(folder)
        places = Places(tree)
        problems = _xsd_problems(tree, folder, places)
        problems += check_ruleset(tree, ruleset, places=places)
        problems += _codelist_problems(tree, folder, places)
    return problems


def iati_folder(shared: Path | None = None) -> Path:
    """The `iati` folder inside `shared`; raises IatiFilesMissing naming what is missing."""
    folder = Path(shared or DEFAULT_SHARED) / "iati"
    for needed in (folder, folder / SCHEMA_FILE, folder / RULESET_FILE, folder / "codelists"):
        if not needed.exists():
            raise IatiFilesMissing(
                f"IATI reference files missing: expected {needed} "
                "(the IATI 2.03 schema, ruleset and codelists in ../shared/iati)"
            )
    return folder


# ---------------------------------------------------------------- places


class Places:
    """Says where a node is: its activity's iati-identifier, its path and its line."""

    def __init__(self, tree: etree._ElementTree) -> None:
        self.tree = tree
        self.activities = tree.getroot().findall("iati-activity")
        self.starts = [a.sourceline or 0 for a in self.activities]
        self.names: dict[etree._Element, str] = {}

    def activity_name(self, activity: etree._Element | None) -> str:
        """The activity's iati-identifier (or a note that it has none)."""
        if activity is None:
            return "iati-activities"
        if activity not in self.names:
            ident = (activity.findtext("iati-identifier") or "").strip()
            self.names[activity] = ident or f"activity at line {activity.sourceline}"
        return self.names[activity]

    def of_node(self, node: object) -> str:
        """Where an element, attribute or text node is."""
        element = _owner(node)
        activity = next(iter(element.iterancestors("iati-activity")), None)
        if element.tag == "iati-activity":
            activity = element
        path = self.tree.getpath(element)
        if _is_attribute(node):
            path += f"/@{_attribute_name(node)}"
        return f"{self.activity_name(activity)}: {path} (line {element.sourceline})"

    def of_line(self, line: int) -> str:
        """Where a line is: the activity it falls in."""
        index = bisect.bisect_right(self.starts, line) - 1
        activity = self.activities[index] if index >= 0 else None
        return f"{self.activity_name(activity)}: line {line}"


def _owner(node: object) -> etree._Element:
    """The element itself, or the element an attribute or text belongs to."""
    if isinstance(node, etree._Element):
        return node
    return node.getparent()  # type: ignore[attr-defined]


def _is_attribute(node: object) -> bool:
    """True for an attribute value returned by an xpath."""
    return bool(getattr(node, "is_attribute", False))


def _attribute_name(node: object) -> str:
    """The name of an attribute value returned by an xpath."""
    return _attribute_name_of(str(getattr(node, "attrname", "")))


def _attribute_name_of(name: str) -> str:
    """An attribute's name, with `xml:` for the xml namespace."""
    return name.replace("{" + XML_NS + "}", "xml:")


# ---------------------------------------------------------------- XSD


@cache
def _schema(folder: Path) -> etree.XMLSchema:
    """The compiled 2.03 activities schema (once per process and folder)."""
    return etree.XMLSchema(etree.parse(str(folder / SCHEMA_FILE)))


def _xsd_problems(tree: etree._ElementTree, folder: Path, places: Places) -> list[IatiProblem]:
    """The schema's complaints, one problem each."""
    schema = _schema(folder)
    if schema.validate(tree):
        return []
    return [
        IatiProblem("xsd", places.of_line(e.line), f"Not valid against the IATI 2.03 schema: "
                    f"{e.message}")
        for e in schema.error_log
    ]  # fmt: skip


# ---------------------------------------------------------------- xpath helpers


@cache
def _xp(expr: str) -> etree.XPath:
    """A compiled xpath (each expression compiled once per process)."""
    return etree.XPath(expr, namespaces={"xml": XML_NS})


def _nodes(expr: str, element: etree._Element) -> list:
    """The nodes an xpath selects ([] when it gives a number, string or boolean)."""
    result = _xp(expr)(element)
    return result if isinstance(result, list) else []


def _true(expr: str, element: etree._Element) -> bool:
    """XPath's boolean() of an expression: an empty node-set, 0, NaN and "" are false."""
    result = _xp(expr)(element)
    if isinstance(result, float):
        return result == result and result != 0
    return bool(result)


def _text(node: object) -> str:
    """The text of an element (all of it), an attribute or a text node."""
    if isinstance(node, etree._Element):
        return "".join(node.itertext())
    return str(node)


def _texts(paths: list[str], element: etree._Element) -> list[str]:
    """The texts of everything the paths select, in path order."""
    return [_text(node) for path in paths for node in _nodes(path, element)]


def _described(paths: list[str], element: etree._Element) -> str:
    """What the paths select, briefly: `<tag a="1">` for elements, `@a='1'` for attributes."""
    shown = []
    for node in (n for p in paths for n in _nodes(p, element)):
        if isinstance(node, etree._Element):
            attributes = "".join(f' {_attribute_name_of(k)}="{v}"' for k, v in node.items())
            shown.append(f"<{node.tag}{attributes}> (line {node.sourceline})")
        elif _is_attribute(node):
            shown.append(f"@{_attribute_name(node)}='{node}'")
        else:
            shown.append(f"'{node}'")
    return ", ".join(shown[:10]) + (f" and {len(shown) - 10} more" if len(shown) > 10 else "")


def _shown(values: list[str]) -> str:
    """Values quoted for a message."""
    return ", ".join(f"'{v}'" for v in values) or "nothing"


def parse_date(text: str) -> datetime | None:
    """An ISO date or date-time as an aware datetime (UTC when no zone); None if not a date."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        tz = UTC
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        int(second or 0), tzinfo=tz)  # fmt: skip
    except ValueError:
        return None


def _dates(expr: str, element: etree._Element, now: datetime) -> list[tuple[str, datetime]]:
    """(text, date) of every valid date an xpath selects; "NOW" is the time of the check."""
    if expr == "NOW":
        return [(f"now ({now:%Y-%m-%d %H:%M} UTC)", now)]
    found = [(_text(n), parse_date(_text(n))) for n in _nodes(expr, element)]
    return [(text, date) for text, date in found if date is not None]


def _number(text: str) -> Decimal | None:
    """A decimal number, or None when the text is not one."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


# ---------------------------------------------------------------- rule types
# Each takes (case, context element, now) and returns what is wrong ([] = passes).

Rule = Callable[[dict, etree._Element, datetime], list[str]]


def atleast_one(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """At least one node matches the paths."""
    if any(_nodes(p, element) for p in case["paths"]):
        return []
    return [f"none found for {' or '.join(case['paths'])}"]


def no_more_than_one(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """No more than one node matches the paths together."""
    count = sum(len(_nodes(p, element)) for p in case["paths"])
    if count <= 1:
        return []
    return [f"{count} found: {_described(case['paths'], element)}"]


def unique(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """The texts the paths match are all different."""
    texts = _texts(case["paths"], element)
    repeated = sorted({t for t in texts if texts.count(t) > 1})
    if not repeated:
        return []
    return [f"{_shown(repeated)} appears more than once among {', '.join(case['paths'])}"]


def startswith(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """Each matched text starts with one of the prefixes' texts followed by the separator."""
    starts = [t + case.get("separator", "") for t in _texts(case["prefix"], element)]
    wrong = [t for t in _texts(case["paths"], element) if not any(t.startswith(s) for s in starts)]
    if not wrong:
        return []
    return [f"{_shown(wrong)} does not start with any of {_shown(starts)}"]


ONE_OR_ALL = {
    "lang": ("descendant::narrative", "@xml:lang"),
    "sector": ("transaction", "sector"),
    "recipient-country|recipient-region": ("transaction", "recipient-country|recipient-region"),
    "currency": ("descendant::value | descendant::forecast | descendant::loan-status",
                 "@currency"),
}  # fmt: skip


def one_or_all(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """`one` exists, or else every item the `all` keyword stands for has what it needs."""
    if _nodes(case["one"], element):
        return []
    items, needed = ONE_OR_ALL[case["all"]]
    lacking = [n for n in _nodes(items, element) if not _nodes(needed, n)]
    if not lacking:
        return []
    lines = ("lines " if len(lacking) > 1 else "line ") + ", ".join(
        str(n.sourceline) for n in lacking[:10]
    )
    more = "" if len(lacking) <= 10 else f" and {len(lacking) - 10} more"
    return [f"no {case['one']}, and {len(lacking)} {lacking[0].tag} element(s) lack "
            f"{needed} ({lines}{more})"]  # fmt: skip


def date_now(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """The date is not after the time of the check."""
    late = [t for t, d in _dates(case["date"], element, now) if d > now]
    return [f"{case['date']} = '{t}' is after now ({now:%Y-%m-%d %H:%M} UTC)" for t in late]


def date_order(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """No `less` date is after a `more` date (nothing to check when either is missing)."""
    more = _dates(case["more"], element, now)
    return [
        f"{case['less']} = '{lt}' is later than {case['more']} = '{mt}'"
        for lt, ld in _dates(case["less"], element, now)
        for mt, md in more
        if ld > md
    ]


def time_limit(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """The `end` date is no more than a year (365 days) after the `start` date."""
    ends = _dates(case["end"], element, now)
    return [
        f"{st} to {et} is {(ed - sd).days} days, more than a year (365 days)"
        for st, sd in _dates(case["start"], element, now)
        for et, ed in ends
        if (ed - sd).days > 365
    ]


def between_dates(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """The `date` lies between the `start` and `end` dates (inclusive)."""
    starts = _dates(case["start"], element, now)
    ends = _dates(case["end"], element, now)
    return [
        f"{case['date']} = '{dt}' is not between {st} and {et}"
        for dt, dd in _dates(case["date"], element, now)
        for st, sd in starts
        for et, ed in ends
        if not sd <= dd <= ed
    ]


def regex_matches(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """Every matched (non-empty) text matches the regular expression."""
    pattern = _regex(case["regex"])
    wrong = [t for t in _texts(case["paths"], element) if t and not pattern.search(t)]
    return [f"{_shown(wrong)} does not match {case['regex']}"] if wrong else []


@cache
def _regex(text: str) -> re.Pattern[str]:
    """A compiled regular expression (once per process)."""
    return re.compile(text)


def no_spaces(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """No matched text starts or ends with spaces or newlines."""
    wrong = [t for t in _texts(case["paths"], element) if t != t.strip()]
    return [f"{_shown(wrong)} starts or ends with spaces or newlines"] if wrong else []


def strict_sum(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """The matched numbers add up to `sum` (to 4 decimals)."""
    texts = _texts(case["paths"], element)
    numbers = [_number(t) for t in texts]
    if None in numbers:
        return [f"{_shown(texts)} are not all numbers, so they cannot add up to {case['sum']}"]
    total = sum(numbers, Decimal(0)).quantize(Decimal("0.0001"))
    if total == Decimal(str(case["sum"])):
        return []
    return [f"{' + '.join(case['paths'])} add up to {total.normalize():f}, not {case['sum']} "
            f"(values {_shown(texts)})"]  # fmt: skip


def value_range(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """Each matched number lies between `min` and `max` (inclusive)."""
    low, high = case.get("min"), case.get("max")

    def inside(text: str) -> bool:
        number = _number(text)
        return number is not None and (low is None or Decimal(str(low)) <= number) and (
            high is None or number <= Decimal(str(high)))  # fmt: skip

    wrong = [t for t in _texts(case["paths"], element) if not inside(t)]
    return [f"{_shown(wrong)} is not between {low} and {high}"] if wrong else []


def if_then(case: dict, element: etree._Element, now: datetime) -> list[str]:
    """When `if` is true, `then` is true as well."""
    if not _true(case["if"], element) or _true(case["then"], element):
        return []
    found = _described(case.get("paths", []), element)
    return [f"found {found}" if found else f"{case['if']} holds but {case['then']} does not"]


RULES: dict[str, Rule] = {
    "atleast_one": atleast_one,
    "no_more_than_one": no_more_than_one,
    "unique": unique,
    "startswith": startswith,
    "one_or_all": one_or_all,
    "date_now": date_now,
    "date_order": date_order,
    "time_limit": time_limit,
    "between_dates": between_dates,
    "regex_matches": regex_matches,
    "no_spaces": no_spaces,
    "strict_sum": strict_sum,
    "range": value_range,
    "if_then": if_then,
}
XPATH_KEYS = ("condition", "if", "then", "one", "foreach")
XPATH_LIST_KEYS = ("paths", "prefix")
DATE_KEYS = ("less", "more", "date", "start", "end")


# ---------------------------------------------------------------- ruleset


@dataclass(frozen=True)
class Case:
    """One case of a rule, under the context it applies to."""

    context: str
    rule: str  # the rule type, "loop/strict_sum" for a case inside a loop
    spec: dict


def load_ruleset(data: dict) -> list[Case]:
    """The activity cases of a ruleset, checked and with their xpaths compiled.

    Skips the `/iati-organisations` contexts and cases with an `idCondition` (Registry needed).
    """
    cases = []
    for context, rules in data.items():
        if context.strip().startswith("/iati-organisations"):
            continue
        _xp(context)
        for rule, block in rules.items():
            if rule != "loop" and rule not in RULES:
                raise ValueError(f"Ruleset rule type {rule!r} (context {context}) is not known")
            for spec in block["cases"]:
                if "idCondition" not in spec:
                    _prepare(rule, spec)
                    cases.append(Case(context, rule, spec))
    return cases


def _prepare(rule: str, spec: dict, later: tuple[str, ...] = ()) -> None:
    """Compile a case's xpaths (but those in `later`, filled in by a loop) and refuse what
    cannot be evaluated."""
    if rule == "one_or_all" and spec["all"] not in ONE_OR_ALL:
        raise ValueError(f"one_or_all keyword {spec['all']!r} is not known")
    if "ORG-ID-PREFIX" in spec.get("prefix", []):
        raise ValueError("startswith against ORG-ID-PREFIX needs the IATI Registry's list")
    for key in (k for k in XPATH_KEYS + XPATH_LIST_KEYS + DATE_KEYS if k in spec):
        if key in later or spec[key] == "NOW":
            continue
        for expr in [spec[key]] if isinstance(spec[key], str) else spec[key]:
            _xp(expr)
    if rule == "loop":
        for sub_rule, block in spec["do"].items():
            if sub_rule not in RULES:
                raise ValueError(f"Ruleset loop rule type {sub_rule!r} is not known")
            for sub in block["cases"]:
                _prepare(sub_rule, sub, tuple(spec["subs"]))


@cache
def _ruleset(folder: Path) -> tuple[Case, ...]:
    """The standard ruleset's activity cases (loaded once per process and folder)."""
    data = json.loads((folder / RULESET_FILE).read_text(encoding="utf-8"))
    return tuple(load_ruleset(data))


def check_ruleset(
    tree: etree._ElementTree,
    cases: list[Case] | tuple[Case, ...] | dict,
    now: datetime | None = None,
    places: Places | None = None,
) -> list[IatiProblem]:
    """Problems of a parsed file against ruleset cases (or a ruleset dict as in SPEC.rst)."""
    if isinstance(cases, dict):
        cases = load_ruleset(cases)
    now = now or datetime.now(UTC)
    places = places or Places(tree)
    problems = []
    for case in cases:
        for element in _nodes(case.context, tree.getroot()):
            for rule, spec in _expanded(case, element):
                problems += _run(rule, spec, element, now, places)
    return problems


def _expanded(case: Case, element: etree._Element) -> Iterator[tuple[str, dict]]:
    """The (rule type, case) pairs to run: the case itself, or a loop's cases per value."""
    if case.rule != "loop":
        yield case.rule, case.spec
        return
    values = list(dict.fromkeys(_text(n) for n in _nodes(case.spec["foreach"], element)))
    for sub_rule, block in case.spec["do"].items():
        for sub in (c for c in block["cases"] if "idCondition" not in c):
            for value in values:
                yield f"loop/{sub_rule}", _substituted(sub, case.spec["subs"], value)


def _substituted(spec: dict, keys: list[str], value: str) -> dict:
    """A loop case with `$1` replaced by the value in the keys named in `subs`."""

    def sub(item: str | list[str]) -> str | list[str]:
        return item.replace("$1", value) if isinstance(item, str) else [sub(i) for i in item]

    return {k: sub(v) if k in keys else v for k, v in spec.items()}


def _run(rule: str, spec: dict, element: etree._Element, now: datetime, places: Places
         ) -> list[IatiProblem]:  # fmt: skip
    """One case on one context element: a problem when it applies and fails."""
    try:
        if "condition" in spec and not _true(spec["condition"], element):
            return []
        wrong = RULES[rule.removeprefix("loop/")](spec, element, now)
    except etree.XPathError as error:
        wrong = [f"the rule could not be evaluated here ({error}); a value in the file "
                 "probably contains a quote"]  # fmt: skip
    if not wrong:
        return []
    info = spec.get("ruleInfo", {})
    head = f"{info.get('severity', 'error')} {info.get('id', '?')} ({rule})"
    text = f"{head}: {info.get('message', 'Rule broken').rstrip('.')}. Here: {'; '.join(wrong)}."
    return [IatiProblem("rule", places.of_node(element), text)]


# ---------------------------------------------------------------- codelists


@cache
def _codelist(folder: Path, name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(active codes, withdrawn codes) of a codelist file (read once per process)."""
    path = folder / "codelists" / f"{name}.xml"
    if not path.exists():
        raise IatiFilesMissing(f"IATI codelist missing: expected {path}")
    active, withdrawn = set(), set()
    for item in etree.parse(str(path)).iterfind("codelist-items/codelist-item"):
        code = (item.findtext("code") or "").strip()
        (withdrawn if item.get("status") == "withdrawn" else active).add(code)
    return frozenset(active), frozenset(withdrawn - active)


def _codelist_problems(tree: etree._ElementTree, folder: Path, places: Places
                       ) -> list[IatiProblem]:  # fmt: skip
    """Every coded attribute whose value is not an active code of its codelist."""
    problems = []
    root = tree.getroot()
    for expr, name in CODELIST_CHECKS:
        active, withdrawn = _codelist(folder, name)
        for value in _nodes(expr, root):
            if value in active:
                continue
            attribute = f"{_owner(value).tag}/@{_attribute_name(value)}"
            if value in withdrawn:
                text = f"{attribute} '{value}' is a withdrawn code of the {name} codelist."
            else:
                text = f"{attribute} '{value}' is not a code of the {name} codelist."
            problems.append(IatiProblem("codelist", places.of_node(value), text))
    return problems
