"""Roles and what each may do. Services call `require` before every read or write they guard."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    PLANNER = "planner"
    PSC_MEMBER = "psc_member"
    FINANCE = "finance"
    ADMIN = "admin"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PLANNER: "Planner (Regional Representative, programme officers)",
    Role.PSC_MEMBER: "Steering Committee (PSC) member",
    Role.FINANCE: "Finance",
    Role.ADMIN: "Administrator",
    Role.OBSERVER: "Donor observer",
}


ROLE_TITLES = {
    Role.PLANNER: "Programme planner",
    Role.PSC_MEMBER: "Committee member",
    Role.FINANCE: "Finance officer",
    Role.ADMIN: "Administrator",
    Role.OBSERVER: "Donor observer",
}


def person_label(name: str, role: str | None) -> str:
    """How a record names a person: "Jane Doe, Committee member" (the name alone when the
    role is unknown)."""
    title = ROLE_TITLES.get(Role(role)) if role in set(Role) else None
    return f"{name}, {title}" if title else name


class Permission(StrEnum):
    VIEW_PROGRAMME = "view_programme"
    EDIT_PLANS = "edit_plans"
    COMMENT = "comment"
    EDIT_COST_RATES = "edit_cost_rates"
    CLOSE_PERIODS = "close_periods"  # close the staff costs' past months as actuals, reopen
    EXPORT = "export"
    EXPORT_WORKPLANS = "export_workplans"  # working (draft) versions too
    SUBMIT_PLANS = "submit_plans"  # to the Steering Committee
    RECORD_POSITION = "record_position"  # a member's endorsement or objection
    RECORD_DECISIONS = "record_decisions"  # the secretariat: decisions and meeting records
    RECORD_POSITION_FOR_MEMBER = "record_position_for_member"  # the secretariat, audited so
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    EDIT_PIPELINE = "edit_pipeline"  # contributions: add, change, delete
    EDIT_EXCHANGE_RATES = "edit_exchange_rates"
    VIEW_SCENARIOS = "view_scenarios"  # funding-gap scenarios and meeting mode
    EDIT_SCENARIOS = "edit_scenarios"  # save and delete scenarios
    FREEZE_SCENARIOS = "freeze_scenarios"  # an immutable record for the Steering Committee pack
    ENTER_PROGRESS = "enter_progress"  # indicator actuals, corrections, output ratings
    VIEW_LIVE_PROGRESS = "view_live_progress"  # actuals as entered (observers: frozen reports)
    IMPORT_EXPENDITURE = "import_expenditure"  # ERP extracts and the WBS mapping


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PLANNER: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.EDIT_PLANS,
            Permission.COMMENT,
            Permission.EXPORT,
            Permission.EXPORT_WORKPLANS,
            Permission.EDIT_PIPELINE,
            Permission.SUBMIT_PLANS,
            Permission.RECORD_DECISIONS,
            Permission.RECORD_POSITION_FOR_MEMBER,
            Permission.VIEW_SCENARIOS,
            Permission.EDIT_SCENARIOS,
            Permission.FREEZE_SCENARIOS,
            Permission.ENTER_PROGRESS,
            Permission.VIEW_LIVE_PROGRESS,
        }
    ),
    Role.PSC_MEMBER: frozenset(
        {Permission.VIEW_PROGRAMME, Permission.COMMENT, Permission.RECORD_POSITION,
         Permission.VIEW_SCENARIOS, Permission.VIEW_LIVE_PROGRESS}
    ),
    Role.FINANCE: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.EDIT_COST_RATES,
            Permission.CLOSE_PERIODS,
            Permission.EXPORT,
            Permission.EXPORT_WORKPLANS,
            Permission.VIEW_AUDIT,
            Permission.EDIT_PIPELINE,
            Permission.EDIT_EXCHANGE_RATES,
            Permission.VIEW_SCENARIOS,
            Permission.EDIT_SCENARIOS,
            Permission.VIEW_LIVE_PROGRESS,
            Permission.IMPORT_EXPENDITURE,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.MANAGE_USERS,
            Permission.VIEW_AUDIT,
            Permission.RECORD_DECISIONS,
            Permission.RECORD_POSITION_FOR_MEMBER,
            Permission.VIEW_LIVE_PROGRESS,
        }
    ),
    # a donor at the Steering Committee: reads what a PSC member reads (other donors'
    # confidential contributions only as an aggregate: rpsee/domain/pipeline.py `redact`)
    Role.OBSERVER: frozenset({Permission.VIEW_PROGRAMME, Permission.VIEW_SCENARIOS}),
}


SUBMITTED_STATUSES = frozenset({"submitted", "approved", "returned", "superseded"})
"""Workplan statuses a version has once it was submitted to the Steering Committee."""

SUBMITTED_READERS = frozenset({Role.PSC_MEMBER, Role.OBSERVER})
"""Roles that export a workplan only once it was submitted to them."""


class PermissionDenied(PermissionError):
    """The user's role does not allow this action."""


@dataclass(frozen=True)
class CurrentUser:
    """Who is acting: taken from the database on every request, never from the browser alone."""

    username: str
    name: str
    role: Role
    donor: str | None = None  # an observer's donor code (sees its own confidential money)

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


SYSTEM = CurrentUser(username="system", name="System", role=Role.ADMIN)


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {value!r}; use one of: {allowed}") from None


def require_login(user: CurrentUser | None) -> CurrentUser:
    """Return the user if someone is logged in, else raise PermissionDenied."""
    if user is None:
        raise PermissionDenied("You must be logged in.")
    return user


def require(user: CurrentUser | None, permission: Permission) -> CurrentUser:
    """Return the user if allowed, else raise PermissionDenied naming the role and action."""
    require_login(user)
    if not user.can(permission):
        raise PermissionDenied(
            f"Your role ({user.role.label}) does not allow this action ({permission.value})."
        )
    return user


def may_export_workplan(user: CurrentUser | None, status: str) -> bool:
    """Planners and finance export any version (drafts too); a PSC member only a version
    submitted to the committee; other roles none."""
    if user is None:
        return False
    if user.can(Permission.EXPORT_WORKPLANS):
        return True
    return user.role in SUBMITTED_READERS and status in SUBMITTED_STATUSES


def require_workplan_export(user: CurrentUser | None, status: str) -> CurrentUser:
    """Return the user if they may export a workplan with `status`, else PermissionDenied."""
    require(user, Permission.VIEW_PROGRAMME)
    if not may_export_workplan(user, status):
        raise PermissionDenied(
            f"Your role ({user.role.label}) may not export a {status} workplan: only planners "
            "and finance export working versions; the Steering Committee exports versions "
            "submitted to it."
        )
    return user


FULL_EDITION = "full"
OBSERVER_EDITION = "observer"


def pack_edition(user: CurrentUser | None, status: str) -> str | None:
    """Which edition of a version's approval pack the user may download: `full`, `observer`
    (other donors' confidential contributions only as an aggregate) or None. The pack of a
    version submitted to the Steering Committee (submitted, approved, returned, superseded):
    every role that reads the programme (observers their edition; frozen scenarios in it only
    for roles that read scenarios, which the scenario service checks); of a draft: planners
    and finance only."""
    if user is None or not user.can(Permission.VIEW_PROGRAMME):
        return None
    if not user.can(Permission.EXPORT_WORKPLANS) and status not in SUBMITTED_STATUSES:
        return None
    return OBSERVER_EDITION if user.role is Role.OBSERVER else FULL_EDITION


def require_pack(user: CurrentUser | None, status: str) -> str:
    """The edition the user may download, else PermissionDenied saying who may."""
    require_login(user)
    edition = pack_edition(user, status)
    if edition is None:
        raise PermissionDenied(
            f"Your role ({user.role.label}) may not download the approval pack of a {status} "
            "workplan: planners and finance download any version's, everyone else those of "
            "versions submitted to the Steering Committee."
        )
    return edition
