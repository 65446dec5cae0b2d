"""The Steering Committee cycle of a workplan version: states, who may do what, amendments,
comments, members' positions, decisions and meetings. Pure rules; services enforce them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from rpsee.domain.roles import CurrentUser, Permission, person_label
from rpsee.domain.text_rules import text_problem
from rpsee.domain.workplan import Activity, Workplan

DRAFT, SUBMITTED, APPROVED, RETURNED, SUPERSEDED = (
    "draft", "submitted", "approved", "returned", "superseded")  # fmt: skip
DECIDED = frozenset({APPROVED, RETURNED, SUPERSEDED})
"""Frozen for good: nobody edits, comments on or decides these versions again."""

POSITIONS = {
    "endorse": "Endorse",
    "endorse_with_comments": "Endorse with comments",
    "object": "Object",
}
OUTCOMES = {APPROVED: "Approved", RETURNED: "Returned"}
AMENDMENT_TYPES = {
    "administrative_correction": "Administrative correction",
    "budget_up_to_20": "Budget change up to 20%",
    "budget_over_20": "Budget change over 20%",
    "change_of_results": "Change of results",
    "other": "Other",
}
COMMENT_TARGETS = {"plan": "Whole plan", "area": "Thematic area", "activity": "Activity"}
BUDGET_THRESHOLD = Decimal(20)
TEXT_LIMIT = 4000  # comments, remarks, reasons, a meeting's lists


class WorkflowError(ValueError):
    """A workflow rule refused the request; `rule` names it, the message says why."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        super().__init__(message)


@dataclass(frozen=True)
class Transition:
    """An action on a version: the statuses it starts from, the status it leads to (None: the
    version keeps its status) and the permission it needs."""

    action: str
    label: str
    from_statuses: frozenset[str]
    to_status: str | None
    permission: Permission


def _t(action: str, label: str, froms: Iterable[str], to: str | None, perm: Permission
       ) -> Transition:  # fmt: skip
    return Transition(action, label, frozenset(froms), to, perm)


TRANSITIONS = {
    t.action: t
    for t in (
        _t("edit", "edit the lines", {DRAFT}, None, Permission.EDIT_PLANS),
        _t("submit", "submit to the Steering Committee", {DRAFT}, SUBMITTED,
           Permission.SUBMIT_PLANS),
        _t("comment", "comment", {DRAFT, SUBMITTED}, None, Permission.COMMENT),
        _t("resolve", "resolve a comment", {DRAFT, SUBMITTED}, None, Permission.COMMENT),
        _t("position", "record a member's position", {SUBMITTED}, None,
           Permission.RECORD_POSITION),
        # a draft only when it is a revision made during the meeting (see `may_decide`)
        _t("approve", "approve", {SUBMITTED, DRAFT}, APPROVED, Permission.RECORD_DECISIONS),
        _t("return", "return with reasons", {SUBMITTED, DRAFT}, RETURNED,
           Permission.RECORD_DECISIONS),
        _t("revise", "make a revised version", {SUBMITTED, RETURNED}, DRAFT,
           Permission.EDIT_PLANS),
        _t("amend", "start an amendment", {APPROVED}, DRAFT, Permission.EDIT_PLANS),
    )
}  # fmt: skip


def check_text(field: str, value: str, limit: int = TEXT_LIMIT, lines: bool = True) -> None:
    """Refuse text too long for its field or holding characters nobody sees."""
    problem = text_problem(value, limit, lines=lines)
    if problem:
        raise WorkflowError("text", f"{field}: {problem}.")


def check_transition(user: CurrentUser, action: str, plan: Workplan) -> Transition:
    """The transition if `user` may do `action` on `plan` in its status, else WorkflowError."""
    t = TRANSITIONS[action]
    if not user.can(t.permission):
        raise WorkflowError("role", f"Your role ({user.role.label}) may not {t.label}.")
    if plan.status not in t.from_statuses:
        allowed = " or ".join(sorted(t.from_statuses))
        raise WorkflowError(
            "status", f"{_name(plan)} is {plan.status}; to {t.label}, it must be {allowed}.")
    return t


def _name(plan: Workplan) -> str:
    return f"The {plan.year} workplan version {plan.version_no}"


def is_meeting_revision(plan: Workplan, versions: Sequence[Workplan]) -> bool:
    """A draft made from a version that is before the Committee (changes agreed in the room)."""
    base = next((p for p in versions if p.id == plan.based_on_id), None)
    return plan.status == DRAFT and base is not None and base.status == SUBMITTED


def check_submit(plan: Workplan, versions: Sequence[Workplan], amendment_type: str | None,
                 change: Decimal | None) -> None:  # fmt: skip
    """One version of a year before the Committee at a time; after an approval, only amendments
    (with a type that fits the budget change, `change` in percent of the approved version)."""
    same_year = [p for p in versions if p.year == plan.year and p.id != plan.id]
    pending = [p for p in same_year if p.status == SUBMITTED]
    if pending:
        raise WorkflowError("one_submitted", f"Version {pending[0].version_no} of the "
                            f"{plan.year} workplan is already before the Steering Committee: "
                            "record its decision first.")  # fmt: skip
    approved = any(p.status == APPROVED for p in same_year)
    if approved and amendment_type is None:
        raise WorkflowError("amendment_type", f"The {plan.year} workplan is approved: a later "
                            "version is an amendment and needs its type.")  # fmt: skip
    if amendment_type is not None:
        check_amendment_type(amendment_type, change)


def check_amendment_type(amendment_type: str, change: Decimal | None) -> None:
    """Refuse a type the budget change (percent of the approved version's budget) contradicts."""
    if amendment_type not in AMENDMENT_TYPES:
        raise WorkflowError("amendment_type", f"Amendment type: unknown {amendment_type!r}; use "
                            f"one of {', '.join(AMENDMENT_TYPES)}.")  # fmt: skip
    if change is None:
        return
    shown = f"{change:.2f}%"
    if amendment_type == "administrative_correction" and change > 0:
        raise WorkflowError("amendment_type", f"Amendment type: an administrative correction "
                            f"moves no money, but the budget changes by {shown}.")  # fmt: skip
    if amendment_type == "budget_up_to_20" and change > BUDGET_THRESHOLD:
        raise WorkflowError("amendment_type", f"Amendment type: the budget changes by {shown}, "
                            "over 20%: choose \"Budget change over 20%\".")  # fmt: skip
    if amendment_type == "budget_over_20" and change <= BUDGET_THRESHOLD:
        raise WorkflowError("amendment_type", f"Amendment type: the budget changes by {shown}, "
                            "not over 20%: choose \"Budget change up to 20%\".")  # fmt: skip


def budget_change_percent(approved: Iterable[Activity], amended: Iterable[Activity]) -> Decimal:
    """How much of the approved budget an amendment changes, in percent (two decimals): the larger
    of the increases and the decreases summed by line (lines matched by their identity), so money
    moved between lines counts once and a pure increase or cut counts in full."""
    before = _line_totals(approved)
    after = _line_totals(amended)
    up = down = Decimal(0)
    for line in before.keys() | after.keys():
        delta = after.get(line, Decimal(0)) - before.get(line, Decimal(0))
        up, down = (up + delta, down) if delta > 0 else (up, down - delta)
    base = sum(before.values(), Decimal(0))
    moved = max(up, down)
    if not base:
        return Decimal("100.00") if moved else Decimal("0.00")
    return (moved * 100 / base).quantize(Decimal("0.01"))


def _line_totals(lines: Iterable[Activity]) -> dict[str, Decimal]:
    return {a.lineage: a.total for a in lines if a.counts}


def check_decision(plan: Workplan, versions: Sequence[Workplan], outcome: str,
                   reasons: str) -> None:  # fmt: skip
    """A decision is taken on a submitted version, or on a revision made of it in the meeting;
    a return needs its reasons."""
    if outcome not in OUTCOMES:
        raise WorkflowError("outcome", f"Decision: unknown {outcome!r}; approved or returned.")
    if plan.status == DRAFT and not is_meeting_revision(plan, versions):
        raise WorkflowError("status", f"{_name(plan)} is a draft that was never before the "
                            "Steering Committee: submit it first.")  # fmt: skip
    if outcome == RETURNED and not reasons.strip():
        raise WorkflowError("reasons", "Decision: a returned version needs the reasons.")
    check_text("Reasons", reasons)


def check_position(position: str, jurisdiction: str, jurisdictions: Iterable[str],
                   remarks: str, represents: Iterable[str] | None = None,
                   member_name: str = "") -> None:  # fmt: skip
    """A known position for a known jurisdiction, with comments unless it endorses; with
    `represents` (the member's jurisdictions), only for one of them."""
    if position not in POSITIONS:
        raise WorkflowError("position", f"Position: unknown {position!r}; use one of "
                            f"{', '.join(POSITIONS)}.")  # fmt: skip
    if jurisdiction not in set(jurisdictions):
        raise WorkflowError("jurisdiction", f"Jurisdiction: unknown {jurisdiction!r}.")
    if represents is not None and jurisdiction not in set(represents):
        raise WorkflowError("jurisdiction", member_jurisdiction_problem(
            jurisdiction, sorted(represents), member_name))  # fmt: skip
    if position != "endorse" and not remarks.strip():
        raise WorkflowError("remarks", f"Position: \"{POSITIONS[position]}\" needs the "
                            "member's comments.")  # fmt: skip
    check_text("Comments", remarks)


def member_jurisdiction_problem(jurisdiction: str, represents: Sequence[str],
                                member_name: str) -> str:  # fmt: skip
    who = member_name or "This member"
    if not represents:
        return (f"Jurisdiction: {who} represents no jurisdiction yet; an administrator sets "
                "it on the Users page (or `rpsee users set-jurisdiction`).")
    return (f"Jurisdiction: {who} represents {', '.join(represents)}, not {jurisdiction}; a "
            "position is recorded only for the member's own jurisdiction.")


def check_member_jurisdictions(codes: Iterable[str], known: Iterable[str]) -> list[str]:
    """A Steering Committee member's jurisdictions: at least one, each a known jurisdiction
    (not the "regional" tag). The codes, upper-case, without repeats, in the given order."""
    chosen = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    allowed = list(known)
    unknown = [c for c in chosen if c not in set(allowed)]
    if unknown:
        raise WorkflowError("jurisdiction", f"Jurisdiction: unknown {', '.join(unknown)}; use "
                            f"one of {', '.join(allowed)}.")  # fmt: skip
    if not chosen:
        raise WorkflowError("jurisdiction", "Jurisdiction: a Steering Committee member "
                            f"represents at least one ({', '.join(allowed)}).")  # fmt: skip
    return chosen


def already_decided(plan: Workplan, decision: Decision, by_name: str,
                    decided_plan: Workplan | None = None) -> WorkflowError:  # fmt: skip
    """The refusal of a second decision: who decided first, what and when (UTC)."""
    outcome = OUTCOMES.get(decision.outcome, decision.outcome).lower()
    when = f"{decision.decided_at:%H:%M} UTC on {decision.decided_at:%Y-%m-%d}"
    via = ""
    if decided_plan is not None and decided_plan.id != plan.id:
        via = f" through version {decided_plan.version_no}"
    return WorkflowError("already_decided", f"{_name(plan)} is already decided{via} "
                         f"({outcome}) by {by_name} at {when}; nothing was recorded. "
                         "Reload to see the decision.")  # fmt: skip


def already_submitted(plan: Workplan, by_name: str, at: datetime) -> WorkflowError:
    return WorkflowError("already_submitted", f"{_name(plan)} is already submitted, by "
                         f"{by_name} at {at:%H:%M} UTC on {at:%Y-%m-%d}; nothing was changed.")


def check_in_use(plan: Workplan, versions: Sequence[Workplan]) -> None:
    """While a year has an approved version, the pages use an approved one: a draft (or a
    version before the Committee, returned or superseded) becomes the version in use only
    once it is approved itself."""
    approved = [p for p in versions if p.year == plan.year and p.status == APPROVED]
    if approved and plan.status != APPROVED:
        raise WorkflowError("in_use", f"The {plan.year} workplan has an approved version "
                            f"(version {approved[-1].version_no}): the pages keep using it "
                            f"until version {plan.version_no} is approved itself.")  # fmt: skip


def check_comment(text: str, target_kind: str, target_code: str, area_codes: Iterable[str],
                  activity_codes: Iterable[str]) -> None:  # fmt: skip
    """A comment has text and names what it is about: the plan, an area or an activity of it."""
    if not text.strip():
        raise WorkflowError("text", "Comment: the text is empty.")
    check_text("Comment", text)
    if target_kind not in COMMENT_TARGETS:
        raise WorkflowError("target", f"Comment: unknown target {target_kind!r}.")
    known = {"plan": {""}, "area": set(area_codes), "activity": set(activity_codes)}
    if target_code not in known[target_kind]:
        what = COMMENT_TARGETS[target_kind].lower()
        raise WorkflowError("target", f"Comment: {what} {target_code!r} is not in this plan.")


@dataclass(frozen=True)
class Comment:
    id: int
    workplan_id: int
    parent_id: int | None
    target_kind: str
    target_code: str
    text: str
    author: str
    author_name: str
    created_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None

    @property
    def target_label(self) -> str:
        kind = COMMENT_TARGETS[self.target_kind]
        return kind if self.target_kind == "plan" else f"{kind} {self.target_code}"


@dataclass(frozen=True)
class Thread:
    comment: Comment
    replies: tuple[Comment, ...]

    @property
    def resolved(self) -> bool:
        return self.comment.resolved_at is not None


def threads(comments: Iterable[Comment]) -> list[Thread]:
    """Top-level comments in time order, each with its replies in time order."""
    items = sorted(comments, key=lambda c: (c.created_at, c.id))
    replies: dict[int, list[Comment]] = {}
    for c in items:
        if c.parent_id is not None:
            replies.setdefault(c.parent_id, []).append(c)
    return [Thread(c, tuple(replies.get(c.id, ()))) for c in items if c.parent_id is None]


@dataclass(frozen=True)
class MemberPosition:
    workplan_id: int
    member: str
    member_name: str
    jurisdiction: str
    position: str
    remarks: str
    recorded_at: datetime
    recorded_by: str | None = None  # the secretariat's account, when it recorded on behalf
    recorded_by_name: str | None = None

    @property
    def recorded_note(self) -> str:
        """"recorded by X on behalf of Y" when the secretariat recorded it, else ""."""
        if not self.recorded_by or self.recorded_by == self.member:
            return ""
        return (f"recorded by {self.recorded_by_name or self.recorded_by} on behalf of "
                f"{self.member_name}")


def current_positions(positions: Iterable[MemberPosition]) -> list[MemberPosition]:
    """Each member's latest position for each jurisdiction they represent (a member may
    change it before the decision)."""
    latest: dict[tuple[str, str], MemberPosition] = {}
    for p in sorted(positions, key=lambda p: p.recorded_at):
        latest[(p.member, p.jurisdiction)] = p
    return sorted(latest.values(), key=lambda p: (p.jurisdiction, p.member))


@dataclass(frozen=True)
class Decision:
    workplan_id: int
    outcome: str
    reasons: str
    meeting_id: int | None
    decided_by: str  # the account
    decided_at: datetime
    decided_by_name: str = ""  # the person's name and role, as the account holds them
    decided_by_role: str = ""

    @property
    def decided_by_label(self) -> str:
        """Who decided, as the record names them: "Jane Doe, Programme planner"."""
        return person_label(self.decided_by_name or self.decided_by, self.decided_by_role)


@dataclass(frozen=True)
class Meeting:
    """The record of a Steering Committee meeting."""

    number: str
    held_on: date
    place: str
    participants: str = ""
    observers: str = ""
    agenda: str = ""
    decisions: str = ""
    id: int | None = None
    version: int | None = None


def check_meeting(m: Meeting, numbers_taken: Iterable[str]) -> list[str]:
    """The problems of a meeting record, each naming the field (empty: none)."""
    errors = []
    if not m.number.strip():
        errors.append("Number: required.")
    elif m.number.strip() in set(numbers_taken):
        errors.append(f"Number: meeting {m.number.strip()} is already recorded.")
    if not m.place.strip():
        errors.append("Place: required.")
    if not m.participants.strip():
        errors.append("Participants: name at least one.")
    limits = {"Number": (m.number, 20, False), "Place": (m.place, 200, False),
              "Participants": (m.participants, TEXT_LIMIT, True),
              "Observers": (m.observers, TEXT_LIMIT, True), "Agenda": (m.agenda, TEXT_LIMIT, True),
              "Decisions": (m.decisions, TEXT_LIMIT, True)}  # fmt: skip
    for name, (value, limit, lines) in limits.items():
        problem = text_problem(value, limit, lines=lines)
        if problem:
            errors.append(f"{name}: {problem}.")
    return errors
