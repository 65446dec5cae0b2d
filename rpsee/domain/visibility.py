"""Which workplan versions, positions and comments each role reads.

The rule (stated in the README, "Who reads what of the Committee cycle"): the roles that prepare
the plan (planners, finance, administrators) read every version. Steering Committee members read
the versions submitted to the Committee (submitted, approved, returned, superseded) and the drafts
a planner shared with them for consultation, not every draft in preparation; they read members'
positions and comments as the deliberation happens. A donor observer reads only versions the
Committee has been given, never a draft (shared or not); it reads members' positions and the
comments of a version, with their authors' names, only once the Committee has decided on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rpsee.domain.roles import SUBMITTED_STATUSES, CurrentUser, PermissionDenied, Role
from rpsee.domain.workplan import Workplan

DECIDED_STATUSES = frozenset({"approved", "returned", "superseded"})
"""A version on which the Committee has decided (a superseded version: by deciding on the
revision made in its meeting)."""

DELIBERATION_WITHHELD = (
    "Members' positions and comments on this version are shown to donor observers once the "
    "Steering Committee has decided on it."
)


def reads_drafts(user: CurrentUser) -> bool:
    """Whether the user reads every version in preparation (the roles that prepare the plan)."""
    return user.role not in (Role.OBSERVER, Role.PSC_MEMBER)


def may_read_version(user: CurrentUser, status: str, shared: bool = False) -> bool:
    """Whether the user reads a version of this status (`shared`: a draft shared with
    Committee members for consultation)."""
    if reads_drafts(user) or status in SUBMITTED_STATUSES:
        return True
    return shared and status == "draft" and user.role is Role.PSC_MEMBER


def require_version(user: CurrentUser, plan: Workplan) -> Workplan:
    """The version if the user may read it, else PermissionDenied naming the rule."""
    if not may_read_version(user, plan.status, plan.shared):
        who = ("Committee members read the versions submitted to the Steering Committee and "
               "the drafts shared with them for consultation." if user.role is Role.PSC_MEMBER
               else "donor observers read the versions submitted to the Steering Committee.")
        raise PermissionDenied(
            f"The {plan.year} workplan version {plan.version_no} is a draft in preparation: {who}"
        )
    return plan


def readable(user: CurrentUser, plans: Iterable[Workplan]) -> list[Workplan]:
    """The versions the user may read, in the order given."""
    return [p for p in plans if may_read_version(user, p.status, p.shared)]


def version_per_year(user: CurrentUser, plans: Iterable[Workplan]) -> dict[int, Workplan]:
    """Each year's version the user's pages use: the version in use; for a reader of submitted
    versions only, the version in use if the Committee has been given it, else the year's
    latest approved version, else its latest version it reads (a year with none is left
    out)."""
    plans = list(plans)
    if reads_drafts(user):
        return {p.year: p for p in plans if p.in_use}
    chosen: dict[int, Workplan] = {}
    for year in sorted({p.year for p in plans}):
        given = sorted(readable(user, (p for p in plans if p.year == year)),
                       key=lambda p: p.version_no)  # fmt: skip
        if not given:
            continue
        in_use = [p for p in given if p.in_use]
        approved = [p for p in given if p.status == "approved"]
        chosen[year] = (in_use or approved or given)[-1]
    return chosen


def sees_deliberation(user: CurrentUser, plan: Workplan) -> bool:
    """Whether the user reads members' positions and named comments on this version now."""
    return user.role is not Role.OBSERVER or plan.status in DECIDED_STATUSES


def versions_note(user: CurrentUser, versions: dict[int, str]) -> str:
    """The line under a figure naming the workplan versions it counts, for this reader: the
    version in use of each year, or, for a donor observer, those given to the Committee."""
    named = "; ".join(f"{y} {v}" for y, v in sorted(versions.items()))
    if user.role is not Role.OBSERVER:
        return f"Workplans: {named or 'none'} (each year's version in use)."
    if not named:
        return ("Workplans: none given to the Steering Committee yet, so the requirement holds "
                "staff costs and their support costs only.")
    return (f"Workplans: {named} (the versions given to the Steering Committee; a year without "
            "one counts staff costs only).")
