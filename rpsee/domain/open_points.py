"""The open points of a workplan (the Checks tab) and the rule for submitting it: the planner
confirms having read them, and a version with nothing to fund cannot go to the Committee."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from rpsee.domain.markers.evidence import marker_findings
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.workflow import WorkflowError
from rpsee.domain.workplan import Activity
from rpsee.domain.workplan_totals import coverage

NO_ACTIVITY = "Workplan without a counted activity"


@dataclass(frozen=True)
class OpenPoint:
    """One finding of the checks: which check, about what; `blocking` ones refuse a submit."""

    check: str
    what: str
    blocking: bool = False


@dataclass(frozen=True)
class OpenPoints:
    points: tuple[OpenPoint, ...]

    @property
    def blocking(self) -> list[OpenPoint]:
        return [p for p in self.points if p.blocking]

    @property
    def key(self) -> str:
        """A short fingerprint of the points: what the planner confirms having read."""
        text = "\n".join(f"{p.check}\t{p.what}" for p in self.points)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.points)


def open_points(activities: Iterable[Activity], ref: ProgrammeReference,
                sex_outputs: Collection[str] = ()) -> OpenPoints:  # fmt: skip
    """The checks' findings, in the order the Checks tab lists them; the markers' last
    (`sex_outputs`: the outputs with an indicator disaggregated by sex)."""
    lines = list(activities)
    cov = coverage(lines, ref)
    names = ref.jurisdiction_names()
    titles = {a.code: f"{a.code} · {a.title}" for a in lines}
    points = (
        [OpenPoint("Output without activity", ref.output_label(c)) for c in cov.outputs_without]
        + [OpenPoint("Jurisdiction without activity", names[c])
           for c in cov.jurisdictions_without]
        + [OpenPoint("Activity without budget", titles[c]) for c in cov.without_budget]
        + [OpenPoint("Activity without responsible position", titles[c])
           for c in cov.without_position]
        + [OpenPoint(f.check, f.what) for f in marker_findings(lines, ref.markers, sex_outputs)]
    )  # fmt: skip
    if not any(a.counts for a in lines):
        points.insert(0, OpenPoint(NO_ACTIVITY, "no line that is planned, ongoing or completed",
                                   blocking=True))  # fmt: skip
    return OpenPoints(tuple(points))


def check_read(label: str, points: OpenPoints, read_key: str | None) -> None:
    """Refuse a submit that a rule blocks, or whose open points the planner did not confirm
    (`read_key`: the fingerprint of the points read; None: none confirmed)."""
    if points.blocking:
        what = "; ".join(f"{p.check}: {p.what}" for p in points.blocking)
        raise WorkflowError("blocked", f"{label} cannot be submitted: {what}.")
    if not points.points:
        return
    if read_key is None:
        raise WorkflowError("open_points", f"{label} has {len(points)} open point(s): confirm "
                            "you have read them before submitting.")  # fmt: skip
    if read_key != points.key:
        raise WorkflowError("open_points", f"{label}: the open points changed since you read "
                            f"them (now {len(points)}); read them again and confirm.")  # fmt: skip
