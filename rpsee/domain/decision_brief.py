"""The brief the secretariat reads before recording the Committee's decision: members' positions
grouped by jurisdiction, the objections, the comment threads still open. Approving when a
member objected or a thread is open needs the brief confirmed as read (`check_brief_read`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rpsee.domain.workflow import APPROVED, MemberPosition, Thread, WorkflowError

OBJECT = "object"


@dataclass(frozen=True)
class JurisdictionPositions:
    """One jurisdiction's members' current positions (empty: none recorded yet)."""

    code: str
    name: str
    positions: tuple[MemberPosition, ...]

    @property
    def objects(self) -> bool:
        return any(p.position == OBJECT for p in self.positions)


@dataclass(frozen=True)
class DecisionBrief:
    jurisdictions: tuple[JurisdictionPositions, ...]
    objections: tuple[MemberPosition, ...]
    open_threads: tuple[Thread, ...]

    @property
    def without_position(self) -> list[str]:
        """The names of the jurisdictions no member has taken a position for."""
        return [j.name for j in self.jurisdictions if not j.positions]

    @property
    def needs_confirmation(self) -> bool:
        """An approval needs the brief confirmed: a member objected or a thread is open."""
        return bool(self.objections or self.open_threads)

    @property
    def summary(self) -> str:
        """"2 objection(s), 1 open comment thread(s), 3 jurisdiction(s) without a position"."""
        return (f"{len(self.objections)} objection(s), {len(self.open_threads)} open comment "
                f"thread(s), {len(self.without_position)} jurisdiction(s) without a position")

    @property
    def key(self) -> str:
        """A fingerprint of what gives pause (objections, open threads): what is confirmed."""
        text = "\n".join(
            [f"o\t{p.member}\t{p.jurisdiction}\t{p.recorded_at.isoformat()}"
             for p in self.objections]
            + [f"t\t{t.comment.id}\t{len(t.replies)}" for t in self.open_threads])  # fmt: skip
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def decision_brief(positions: Iterable[MemberPosition], threads: Iterable[Thread],
                   jurisdictions: Mapping[str, str]) -> DecisionBrief:  # fmt: skip
    """The brief from the members' current positions, the version's threads and the
    jurisdictions members represent (code -> name, in the order to list them); a position for
    a jurisdiction not in the mapping is listed after them, by its code."""
    current = list(positions)
    codes = list(jurisdictions) + sorted({p.jurisdiction for p in current} - set(jurisdictions))
    grouped = tuple(
        JurisdictionPositions(code, jurisdictions.get(code, code),
                              tuple(sorted((p for p in current if p.jurisdiction == code),
                                           key=lambda p: p.member_name)))
        for code in codes)  # fmt: skip
    objections = tuple(p for j in grouped for p in j.positions if p.position == OBJECT)
    return DecisionBrief(grouped, objections, tuple(t for t in threads if not t.resolved))


def check_brief_read(label: str, brief: DecisionBrief, outcome: str, read_key: str | None
                     ) -> None:  # fmt: skip
    """Refuse an approval over an objection or an open thread unless the brief was confirmed
    as read (`read_key`: the fingerprint of the brief read) and has not changed since."""
    if outcome != APPROVED or not brief.needs_confirmation:
        return
    if read_key is None:
        raise WorkflowError("brief", f"{label}: the decision brief shows {brief.summary}; "
                            "confirm you have read it before approving.")  # fmt: skip
    if read_key != brief.key:
        raise WorkflowError("brief", f"{label}: the decision brief changed since you read it "
                            f"(now {brief.summary}); read it again and confirm.")  # fmt: skip
