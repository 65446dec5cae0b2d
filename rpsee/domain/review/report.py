"""A progress report: the indicator figures and output ratings of a year as of a date, in the
words and numbers the Committee reads. The page builds one from live entries, and the same
report frozen at submission (canonical JSON) prints in the pack: one builder for both, so an
approved version's pack always shows what the Committee saw. Corrections make a new report;
`report_diff` says what changed between two."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.review.indicators import StatusRule
from rpsee.domain.review.progress import (
    IndicatorProgress,
    Status,
    format_value,
    met_names,
    status_label,
    target_shown,
)
from rpsee.domain.tables import BLANK, Column, Kind, Row, Table

RATINGS = ("On track", "Partly on track", "Off track", "Too early to say")
RATING_HELP = ("The planner's judgement of the output as a whole, with a short narrative; the "
               "indicators' statuses are shown beside it")  # fmt: skip
MAX_NARRATIVE = 1500


@dataclass(frozen=True)
class ReportRow:
    output_code: str
    indicator_code: str
    unit: str
    text: str
    baseline: str
    target: str
    actual: str
    status: str  # a Status value
    met: tuple[str, ...] = ()
    by_sex: tuple[tuple[str, str], ...] = ()  # ("female", "89"), ("male", "51")


@dataclass(frozen=True)
class Rating:
    output_code: str
    rating: str
    narrative: str


@dataclass(frozen=True)
class ProgressReport:
    year: int
    as_of: date
    rule_text: str
    rows: tuple[ReportRow, ...]
    ratings: tuple[Rating, ...] = ()

    def status_of(self, indicator_code: str) -> Status | None:
        found = [r.status for r in self.rows if r.indicator_code == indicator_code]
        return Status(found[0]) if found else None

    def statuses_by_output(self) -> dict[str, list[Status]]:
        out: dict[str, list[Status]] = {}
        for r in self.rows:
            out.setdefault(r.output_code, []).append(Status(r.status))
        return out


def check_rating(rating: str, narrative: str) -> list[str]:
    """Problems with a rating as entered, each naming the field."""
    problems = []
    if rating not in RATINGS:
        problems.append(f"Rating: choose one of {', '.join(RATINGS)}")
    if len(narrative) > MAX_NARRATIVE:
        problems.append(f"Narrative: {len(narrative):,} characters; at most {MAX_NARRATIVE:,} "
                        "(nothing was cut: shorten it)")  # fmt: skip
    return problems


def build_report(year: int, as_of: date, progress: Sequence[IndicatorProgress],
                 ratings: Sequence[Rating], rule: StatusRule) -> ProgressReport:  # fmt: skip
    rows = tuple(ReportRow(p.spec.output_code, p.spec.code, p.spec.unit, p.spec.text,
                           format_value(p.spec, p.spec.baseline), target_shown(p.spec, as_of),
                           format_value(p.spec, p.actual), p.status.value, tuple(p.met),
                           tuple((k, format_value(p.spec, v)) for k, v in p.by_sex.items()))
                 for p in progress)  # fmt: skip
    return ProgressReport(year, as_of, rule.rule_text, rows,
                          tuple(sorted(ratings, key=lambda r: r.output_code)))  # fmt: skip


def to_json(report: ProgressReport) -> str:
    """Canonical JSON (sorted keys, no spaces): the frozen body and its hash are stable."""
    data = asdict(report)
    data["as_of"] = report.as_of.isoformat()
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def from_json(body: str) -> ProgressReport:
    data = json.loads(body)
    rows = tuple(ReportRow(**{**r, "met": tuple(r["met"]),
                              "by_sex": tuple(tuple(x) for x in r.get("by_sex", ()))})
                 for r in data["rows"])  # fmt: skip
    ratings = tuple(Rating(**r) for r in data["ratings"])
    return ProgressReport(int(data["year"]), date.fromisoformat(data["as_of"]),
                          data["rule_text"], rows, ratings)  # fmt: skip


def report_table(report: ProgressReport, ref: ProgrammeReference) -> Table:
    """Indicator progress by output: baseline, the target that applies with its date, actual
    (milestones: the jurisdictions that met them) and status as a symbol and a word."""
    columns = (
        Column("Output", Kind.TEXT),
        Column("Indicator", Kind.TEXT),
        Column("Status", Kind.TEXT, help="By the rule stated under the table"),
        Column("Baseline", Kind.TEXT),
        Column("Interim target", Kind.TEXT,
               help="The next interim target and its date; after the last, the final target"),
        Column("Actual", Kind.TEXT,
               help="Corrections applied; indicators that add up count the periods ended"),
    )  # fmt: skip
    rows = []
    for r in report.rows:
        actual = r.actual + (f" ({met_names(r.met, ref)})" if r.met else "") + (
            f" ({', '.join(f'{sex} {n}' for sex, n in r.by_sex)})" if r.by_sex else "")
        rows.append(Row((r.output_code, f"{r.indicator_code} · {r.unit}",
                         status_label(Status(r.status)), r.baseline, r.target, actual),
                        help=f"{ref.output_label(r.output_code)}\n{r.indicator_code}: {r.text}"))
    return Table(f"Indicator progress as of {report.as_of:%d %b %Y}", columns, tuple(rows),
                 total=False, notes=(f"Status rule: {report.rule_text}",))  # fmt: skip


def output_statuses(report: ProgressReport) -> dict[str, str]:
    """Per output, how many of its indicators have each status: `2 ▲ on track, 1 ! at risk`."""
    out = {}
    for code, statuses in report.statuses_by_output().items():
        out[code] = ", ".join(f"{sum(1 for s in statuses if s is st)} {status_label(st)}"
                              for st in Status if st in statuses)  # fmt: skip
    return out


def ratings_table(report: ProgressReport, ref: ProgrammeReference,
                  spent: Mapping[str, str] | None = None) -> Table:  # fmt: skip
    """Per output: the planner's rating and narrative, and the indicators' statuses."""
    counted = output_statuses(report)
    rated = {r.output_code: r for r in report.ratings}
    columns = (Column("Output", Kind.TEXT), Column("Rating", Kind.TEXT, help=RATING_HELP),
               Column("Indicators", Kind.TEXT), Column("Narrative", Kind.TEXT))  # fmt: skip
    rows = []
    for o in ref.outputs:
        r = rated.get(o.code)
        rows.append(Row((ref.output_label(o.code, 50), r.rating if r else "Not rated",
                         counted.get(o.code, BLANK),
                         r.narrative if r and r.narrative else BLANK),
                        help=ref.output_label(o.code)))  # fmt: skip
    return Table(f"Outputs: ratings {report.year}", columns, tuple(rows), total=False)


def report_diff(old: ProgressReport, new: ProgressReport) -> Table:
    """What a later report changed: indicator by indicator and field by field, and ratings."""
    fields = (("Baseline", "baseline"), ("Target", "target"), ("Actual", "actual"),
              ("Status", "status"), ("Met", "met"))  # fmt: skip
    before = {r.indicator_code: r for r in old.rows}
    rows = []
    for r in new.rows:
        was = before.get(r.indicator_code)
        for label, name in fields:
            a, b = (getattr(was, name) if was else BLANK), getattr(r, name)
            if a != b:
                rows.append(Row((r.indicator_code, label, _shown(name, a), _shown(name, b))))
    old_ratings = {x.output_code: x for x in old.ratings}
    for x in new.ratings:
        y = old_ratings.get(x.output_code)
        if y is None or (y.rating, y.narrative) != (x.rating, x.narrative):
            rows.append(Row((f"Output {x.output_code}", "Rating",
                             f"{y.rating}: {y.narrative}" if y else BLANK,
                             f"{x.rating}: {x.narrative}")))  # fmt: skip
    columns = tuple(Column(n, Kind.TEXT) for n in ("Indicator", "Field", "Before", "After"))
    return Table(f"Changes from the report as of {old.as_of:%d %b %Y}", columns, tuple(rows),
                 total=False)  # fmt: skip


def _shown(name: str, value: object) -> str:
    if name == "status" and isinstance(value, str) and value in set(Status):
        return status_label(Status(value))
    if name == "met":
        return ", ".join(value) if value else BLANK  # type: ignore[arg-type]
    return str(value)
