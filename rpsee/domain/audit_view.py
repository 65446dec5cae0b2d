"""The audit trail as its readers speak: plain entity names, page field names, amounts in USD.

Raw entries name tables, ids and columns; `readable()` turns them into rows a finance officer can
read and export (`to_csv`, safe against spreadsheet formulas).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rpsee.domain.money import format_usd, from_cents
from rpsee.domain.roles import Role
from rpsee.domain.workplan import FIELD_LABELS


@dataclass(frozen=True)
class RawEntry:
    """One stored audit entry (values as stored: JSON-plain, cents as integers)."""

    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    old_values: Mapping[str, Any] | None
    new_values: Mapping[str, Any] | None


@dataclass(frozen=True)
class Names:
    """What the trail needs to name things: looked up by the service, all optional."""

    workplans: Mapping[int, tuple[int, int]] = field(default_factory=dict)  # id -> year, version
    activities: Mapping[int, str] = field(default_factory=dict)  # id -> code
    rates: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # id -> grade, station
    targets: Mapping[int, tuple[int, str, str]] = field(default_factory=dict)  # id -> y, dim, key
    target_modes: Mapping[int, str] = field(default_factory=dict)  # id -> "usd" or "percent"
    # id -> donor code, reference, currency (tranches are in the contribution's currency)
    contributions: Mapping[int, tuple[str, str, str]] = field(default_factory=dict)
    figures: Mapping[int, tuple[str, int]] = field(default_factory=dict)  # id -> kind, year
    offices: Mapping[str, str] = field(default_factory=dict)  # code -> short name
    categories: Mapping[str, str] = field(default_factory=dict)  # code -> name


@dataclass(frozen=True)
class AuditRow:
    when: str
    who: str
    what: str
    entity_type: str
    entity: str
    changes: str


# Entity types as the filter offers them -> the stored table names they cover.
ENTITY_TYPES: dict[str, tuple[str, ...]] = {
    "Activity": ("activity", "activity_budget"),
    "Workplan": ("workplan", "workplan_in_use"),
    "Steering Committee": ("workplan_submission", "workplan_decision", "member_position",
                           "review_comment", "psc_meeting"),
    "Envelope": ("envelope_year",),
    "Allocation target": ("allocation_target",),
    "Cost rate": ("staff_cost_rate",),
    "Vacancy factor": ("vacancy_factor",),
    "Closed months": ("closed_period",),
    "Setting": ("planning_setting",),
    "Staffing plan": ("position_plan",),
    "User": ("app_user",),
    "Contribution": ("contribution", "contribution_tranche"),
    "Exchange rate": ("exchange_rate",),
    "Reference data": (
        "thematic_area", "output", "indicator", "jurisdiction", "office", "position", "donor",
        "cost_category", "risk", "programme_text", "programme_figure",
    ),
}  # fmt: skip
_TYPE_OF = {table: label for label, tables in ENTITY_TYPES.items() for table in tables}

SETTING_LABELS = {
    "envelope_basis": "Envelope basis",
    "psc_rate_percent": "Programme support cost rate (%)",
    "escalation_percent": "Escalation per year (%)",
    "rates_base_year": "Cost rates' base year",
}

_FIELDS: dict[str, dict[str, str]] = {
    "activity": {**FIELD_LABELS, "line_id": "Line", "workplan_id": "Workplan"},
    "workplan_in_use": {"workplan_id": "Version in use"},
    "activity_budget": {"amount_cents": "Amount", "category_code": "Cost category"},
    "envelope_year": {"amount_cents": "Envelope", "year": "Year"},
    "allocation_target": {"year": "Year", "dimension": "For", "key": "Area or office",
                          "mode": "Given in", "value": "Target"},
    "staff_cost_rate": {"grade": "Grade", "duty_station": "Duty station",
                        "annual_cents": "Annual cost"},
    "vacancy_factor": {"year": "Year", "percent": "Vacancy factor (%)"},
    "closed_period": {"closed_through": "Closed through", "reason": "Reason for reopening"},
    "planning_setting": {"key": "Setting", "value": "Value"},
    "position_plan": {"grade": "Grade", "duty_station": "Duty station", "start": "Start",
                      "end": "End", "split": "Time split", "dropped": "Dropped"},
    "app_user": {"username": "Username", "name": "Full name", "email": "E-mail",
                 "role": "Role", "password_hash": "Password", "active": "Active",
                 "failed_logins": "Failed logins", "locked_until": "Locked until",
                 "sessions_revoked_at": "Sessions ended at", "created_at": "Created",
                 "jurisdictions": "Jurisdictions"},
    "contribution": {"donor_code": "Donor", "reference": "Reference", "currency": "Currency",
                     "status": "Status", "earmark_kind": "Earmark", "earmark_code": "Earmarked to",
                     "probability": "Probability (%)", "support_rate": "Support cost rate (%)",
                     "confidential": "Confidential", "notes": "Notes"},
    "contribution_tranche": {"year": "Year", "amount_cents": "Amount"},
    "exchange_rate": {"currency": "Currency", "as_of": "As of", "usd_per_unit": "USD per unit"},
    "workplan": {"year": "Year", "version_no": "Version", "status": "Status",
                 "based_on_id": "Copied from", "created_by": "Created by",
                 "amendment_type": "Amendment type"},
    "workplan_submission": {"workplan_id": "Workplan", "amendment_type": "Amendment type",
                            "budget_change": "Budget change (%)",
                            "submitted_by": "Submitted by", "submitted_at": "Submitted at"},
    "workplan_decision": {"workplan_id": "Workplan", "outcome": "Decision",
                          "reasons": "Reasons", "meeting_id": "Meeting",
                          "decided_by": "Decided by", "decided_at": "Decided at"},
    "member_position": {"workplan_id": "Workplan", "member": "Member",
                        "member_name": "Member's name", "jurisdiction_code": "Jurisdiction",
                        "position": "Position", "remarks": "Comments",
                        "recorded_at": "Recorded at", "recorded_by": "Recorded on behalf by",
                        "recorded_by_name": "Recorded on behalf by (name)"},
    "review_comment": {"workplan_id": "Workplan", "parent_id": "Reply to",
                       "target_kind": "About", "target_code": "Which", "text": "Text",
                       "author": "Author", "author_name": "Author's name",
                       "resolved_at": "Resolved at", "resolved_by": "Resolved by"},
    "psc_meeting": {"number": "Number", "held_on": "Date", "place": "Place",
                    "participants": "Participants", "observers": "Observers",
                    "agenda": "Agenda", "decisions": "Decisions"},
}  # fmt: skip
# Shown by the entry's own who and when, or internal: never listed as a change.
_HIDDEN = {"updated_at", "updated_by", "id", "activity_id", "created_at", "sort", "last_seen_at"}

_USE_CASES = {
    "workplan_save": "workplan saved",
    "workplan_start": "new workplan draft",
    "envelope": "envelope settings saved",
    "allocation_targets": "allocation targets saved",
    "staff_cost_rates": "cost rates saved",
    "staff_period_close": "staff costs closed (actuals)",
    "staff_period_reopen": "closed months reopened",
    "staffing_plan": "staffing plan saved",
    "user_add": "Users page",
    "user_role": "role changed",
    "user_activate": "user activated",
    "user_deactivate": "user deactivated",
    "user_unlock": "user unlocked",
    "login": "logged in",
    "login_failed": "failed login",
    "login_refused_locked": "login refused: account locked",
    "account_locked": "account locked",
    "sessions_ended": "sessions ended",
    "password_reset": "password reset",
    "password_change": "password changed",
    "password_change_failed": "password change refused",
    "login_failed_unknown_user": "failed login: unknown user",
    "workplan_in_use": "version in use chosen",
    "workplan_submit": "submitted to the Steering Committee",
    "workplan_decision": "Steering Committee decision recorded",
    "workplan_revision": "revised version started",
    "workplan_amendment": "amendment started",
    "member_position": "member's position recorded",
    "member_position_on_behalf": "member's position recorded on the member's behalf",
    "user_jurisdictions": "member's jurisdictions changed",
    "review_comment": "comment",
    "review_reply": "reply to a comment",
    "review_resolve": "comment resolved",
    "psc_meeting": "meeting record saved",
    "psc_meeting_delete": "meeting record deleted",
    "pipeline_save": "donor pipeline saved",
    "pipeline_delete": "contribution deleted",
    "exchange_rate": "exchange rate saved",
}
_KINDS = {"insert": "Added", "update": "Changed", "delete": "Removed"}


def action_label(action: str) -> str:
    """`workplan_save:update` -> `Changed (workplan saved)`; seeds say they were data loads."""
    use_case, _, kind = action.partition(":")
    if use_case.startswith("seed"):
        what = "data load"
    else:
        what = _USE_CASES.get(use_case, use_case.replace("_", " "))
    if not kind:
        return what[:1].upper() + what[1:]
    return f"{_KINDS.get(kind, kind.capitalize())} ({what})"


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def learn_names(entries: Iterable[RawEntry], names: Names) -> Names:
    """Names from the entries' own snapshots (an added or removed row carries all its columns),
    for rows that no longer exist; what the service looked up wins."""
    activities: dict[int, str] = {}
    rates: dict[int, tuple[str, str]] = {}
    targets: dict[int, tuple[int, str, str]] = {}
    modes: dict[int, str] = {}
    contributions: dict[int, tuple[str, str, str]] = {}
    for e in entries:
        values = e.new_values or e.old_values or {}
        ident = values.get("id")
        if not isinstance(ident, int):
            continue
        if e.entity == "activity" and "code" in values:
            activities[ident] = str(values["code"])
        elif e.entity == "staff_cost_rate" and {"grade", "duty_station"} <= set(values):
            rates[ident] = (str(values["grade"]), str(values["duty_station"]))
        elif e.entity == "allocation_target" and {"year", "dimension", "key"} <= set(values):
            targets[ident] = (int(values["year"]), str(values["dimension"]), str(values["key"]))
            modes[ident] = str(values.get("mode", ""))
        elif e.entity == "contribution" and {"donor_code", "reference", "currency"} <= set(values):
            contributions[ident] = (
                str(values["donor_code"]), str(values["reference"]), str(values["currency"])
            )
    return Names(
        workplans=names.workplans,
        activities={**activities, **names.activities},
        rates={**rates, **names.rates},
        targets={**targets, **names.targets},
        target_modes={**modes, **names.target_modes},
        contributions={**contributions, **names.contributions},
        figures=names.figures,
        offices=names.offices,
        categories=names.categories,
    )


def _workplan(names: Names, ident: str) -> str:
    key = _int(ident)
    if key is not None and key in names.workplans:
        year, version = names.workplans[key]
        return f"Workplan {year}, version {version}"
    return f"Workplan {ident}"


def entity_name(entity: str, entity_id: str, names: Names) -> str:
    """`Activity 2026-1.1-003`, `Cost rate P4 Vienna`, `Envelope 2026`, `User demo.planner`."""
    key = _int(entity_id)
    office = names.offices
    if entity == "activity":
        wp, _, code = entity_id.partition("/")
        plan = _workplan(names, wp)
        return f"Activity {code or entity_id} ({plan.lower()})" if code else f"Activity {wp}"
    if entity == "activity_budget":
        act, _, cat = entity_id.partition("/")
        act_id = _int(act)
        code = names.activities.get(act_id, f"line {act}") if act_id is not None else act
        return f"Budget of activity {code}: {names.categories.get(cat, cat)}"
    if entity == "contribution":
        donor, reference, _cur = names.contributions.get(key or -1, ("", entity_id, ""))
        return f"Contribution {donor} {reference}".replace("  ", " ")
    if entity == "contribution_tranche":
        cid, _, year = entity_id.partition("/")
        contribution = entity_name("contribution", cid, names).removeprefix("Contribution ")
        return f"Tranche {year} of contribution {contribution}"
    if entity == "exchange_rate":
        return f"Exchange rate {entity_id.replace('/', ' as of ')}"
    if entity == "staff_cost_rate" and key in names.rates:
        grade, station = names.rates[key]  # type: ignore[index]
        return f"Cost rate {grade} {office.get(station, station)}"
    if entity == "allocation_target" and key in names.targets:
        year, dimension, code = names.targets[key]  # type: ignore[index]
        label = office.get(code, code) if dimension == "office" else code
        return f"Allocation target {year} {dimension} {label}"
    if entity == "programme_figure" and key in names.figures:
        kind, year = names.figures[key]  # type: ignore[index]
        return f"Programme figure {kind.replace('_', ' ')}" + (f" {year}" if year else "")
    simple = {
        "envelope_year": "Envelope",
        "vacancy_factor": "Vacancy factor",
        "app_user": "User",
        "position": "Position",
        "position_plan": "Staffing plan of position",
        "thematic_area": "Thematic area",
        "output": "Output",
        "indicator": "Indicator",
        "jurisdiction": "Jurisdiction",
        "donor": "Donor",
        "cost_category": "Cost category",
        "risk": "Risk",
        "staff_cost_rate": "Cost rate",
        "allocation_target": "Allocation target",
        "programme_figure": "Programme figure",
    }
    if entity == "workplan":
        return _workplan(names, entity_id)
    if entity == "closed_period":  # one row
        return "Closed months of the staff costs"
    if entity == "workplan_in_use":
        return f"Workplan in use for {entity_id}"
    if entity == "planning_setting":
        return f"Setting: {SETTING_LABELS.get(entity_id, entity_id.replace('_', ' '))}"
    if entity == "programme_text":
        return f"Programme text: {entity_id.replace('_', ' ')}"
    if entity == "office":
        return f"Office {office.get(entity_id, entity_id)}"
    if entity in simple:
        return f"{simple[entity]} {entity_id}"
    return f"{entity.replace('_', ' ').capitalize()} {entity_id}"


def field_label(entity: str, column: str) -> str:
    if column.endswith("_cents") and column not in _FIELDS.get(entity, {}):
        return column[: -len("_cents")].replace("_", " ").capitalize()
    return _FIELDS.get(entity, {}).get(column) or column.replace("_", " ").capitalize()


def value_text(column: str, value: Any, names: Names) -> str:
    """A stored value as the pages show it: cents as USD, yes/no, blanks as '–'."""
    if value is None or value == "":
        return "–"
    if column.endswith("_cents") and isinstance(value, int) and not isinstance(value, bool):
        return format_usd(from_cents(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column == "role" and isinstance(value, str) and value in {r.value for r in Role}:
        return Role(value).label
    if column == "split" and isinstance(value, str):
        parts = (x.partition(":") for x in value.split(";") if x)
        return ", ".join(f"area {area} {pct}%" for area, _, pct in parts)
    if column in ("jurisdictions", "indicators") and isinstance(value, str):
        return ", ".join(c for c in value.split(";") if c) or "–"
    if column in ("based_on_id", "workplan_id") and value in names.workplans:
        year, version = names.workplans[value]
        return f"workplan {year}, version {version}"
    if column in ("duty_station", "lead_office") and isinstance(value, str):
        return names.offices.get(value, value)
    if column == "category_code" and isinstance(value, str):
        return names.categories.get(value, value)
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and value[10:11] == "T":
        return value[:16].replace("T", " ")
    if isinstance(value, (date, datetime)):
        return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _target_text(value: Any, mode: Any, names: Names) -> str:
    """A target's exact decimal text: USD amounts formatted, percentages with `%`."""
    if value in (None, ""):
        return "–"
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return format_usd(number) if mode == "usd" else f"{number}%"


def describe_changes(entry: RawEntry, names: Names) -> str:
    """`Title: A → B; Amount: USD 1.00 → USD 2.00`; added and removed rows list their values,
    events (a login, a refusal) their details."""
    old = dict(entry.old_values or {})
    new = dict(entry.new_values or {})
    kind = entry.action.partition(":")[2]
    if not kind:
        return "; ".join(
            f"{k.replace('_', ' ').capitalize()}: {value_text(k, v, names)}"
            for k, v in new.items()
        )
    current = names.target_modes.get(_int(entry.entity_id) or -1)
    mode = {"old": old.get("mode") or current, "new": new.get("mode") or current}

    def text(column: str, value: Any, side: str) -> str:
        if entry.entity == "allocation_target" and column == "value":
            return _target_text(value, mode[side], names)
        return value_text(column, value, names)

    own = {"planning_setting": {"key"}, "position_plan": {"position_id"},
           "activity": {"workplan_id"}}  # named by the entity already
    hidden = _HIDDEN | own.get(entry.entity, set())
    if entry.entity == "contribution_tranche":
        cid = _int(entry.entity_id.partition("/")[0])
        currency = names.contributions.get(cid or -1, ("", "", ""))[2] or "(currency?)"
        inner = text

        def text(column: str, value: Any, side: str) -> str:  # noqa: F811
            if column == "amount_cents" and isinstance(value, int):
                return f"{currency} {from_cents(value):,.2f}"
            return inner(column, value, side)

    parts: list[str] = []
    order = list(_FIELDS.get(entry.entity, {}))
    columns = sorted(
        (c for c in dict.fromkeys([*old, *new]) if c not in hidden),
        key=lambda c: (order.index(c) if c in order else len(order), c),
    )
    for c in columns:
        label = field_label(entry.entity, c)
        if kind == "insert":
            parts.append(f"{label}: {text(c, new.get(c), 'new')}")
        elif kind == "delete":
            parts.append(f"{label}: {text(c, old.get(c), 'old')}")
        else:
            parts.append(f"{label}: {text(c, old.get(c), 'old')} → {text(c, new.get(c), 'new')}")
    return "; ".join(parts)


def entity_type(entity: str) -> str:
    return _TYPE_OF.get(entity, entity.replace("_", " ").capitalize())


def readable(entries: Iterable[RawEntry], names: Names = Names()) -> list[AuditRow]:  # noqa: B008
    """The entries as rows in the users' language, in the order given. An update that only
    moved a row's "changed by / at" (its budget lines changed: they have their own rows) is left
    out."""
    entries = list(entries)
    names = learn_names(entries, names)
    rows = []
    for e in entries:
        changes = describe_changes(e, names)
        if not changes and e.action.endswith(":update"):
            continue
        rows.append(
            AuditRow(
                when=f"{e.at:%Y-%m-%d %H:%M:%S}",
                who=e.actor,
                what=action_label(e.action),
                entity_type=entity_type(e.entity),
                entity=entity_name(e.entity, e.entity_id, names),
                changes=changes,
            )
        )
    return rows


CSV_HEADER = ("When (UTC)", "Who", "What", "Entity type", "Entity", "Changes")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading `'`."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Iterable[AuditRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            [safe_cell(v) for v in (r.when, r.who, r.what, r.entity_type, r.entity, r.changes)]
        )
    return out.getvalue()
