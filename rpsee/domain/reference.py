"""The programme's reference structure as the programme document gives it (read from `data/`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rpsee.domain.markers.book import MarkerBook
from rpsee.domain.money import to_decimal
from rpsee.domain.text_rules import clip

GRADE_ORDER = ("P5", "P4", "P3", "P2", "G7", "G6", "G5", "G4")
FOOTNOTE_MARK = "*"
LOST_WORDING = "(wording not legible in the programme document)"
CATEGORY_LABELS = {
    "international_professional": "International professional (P)",
    "general_service": "General service (G)",
    "service_contract": "Service contract (SB / NPSA)",
}


@dataclass(frozen=True)
class Indicator:
    code: str
    output_code: str
    text: str
    baseline: str | None = None
    target: str | None = None
    interim_target: str | None = None
    interval: str | None = None
    means_of_verification: str | None = None
    risks: str | None = None


@dataclass(frozen=True)
class Output:
    code: str
    area_code: str
    text: str
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class ThematicArea:
    code: str
    name: str
    short_name: str
    strategic_goal: str
    outputs: tuple[Output, ...] = ()


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    western_balkans: bool
    regional: bool = False
    footnote: str | None = None

    @property
    def display_name(self) -> str:
        """How the jurisdiction is named everywhere it is shown: `Kosovo*` (with its footnote)."""
        return f"{self.name}{FOOTNOTE_MARK}" if self.footnote else self.name


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    label: str
    kind: str
    jurisdiction_code: str | None
    headquarters: bool = False


@dataclass(frozen=True)
class Position:
    id: str
    table_ref: str
    title: str
    grade: str
    category: str
    duty_station: str
    status: str
    note: str | None = None

    @property
    def is_new(self) -> bool:
        return self.status == "new"

    @property
    def grade_group(self) -> str:
        """`P4`, `G5`... for staff; `SC` for every service contract band (SB-2, NPSA-8...)."""
        return "SC" if self.category == "service_contract" else self.grade


@dataclass(frozen=True)
class Donor:
    code: str
    name: str
    kind: str
    currency: str
    status: str
    note: str | None = None


@dataclass(frozen=True)
class CostCategory:
    code: str
    name: str


@dataclass(frozen=True)
class Risk:
    code: str
    risk: str
    likelihood: str
    impact: str
    level: str
    mitigation: str | None = None
    residual: str | None = None


@dataclass(frozen=True)
class ProgrammeFigures:
    """The money facts of the programme document, exact."""

    annual_envelope: Decimal
    cycle_envelope: Decimal
    envelope_by_year: dict[int, Decimal]
    hard_pipeline: dict[int, Decimal]
    delivery: dict[int, Decimal]
    staff_requirement: Decimal
    staff_requirement_start: str
    staff_requirement_end: str
    programme_support_rate_percent: Decimal
    cycle_start: str = "2024-07"
    cycle_end: str = "2029-06"

    @property
    def cycle_years(self) -> tuple[int, ...]:
        return tuple(range(int(self.cycle_start[:4]), int(self.cycle_end[:4]) + 1))

    @property
    def cycle_days(self) -> tuple[date, date]:
        """The first and the last day of the cycle (1 July 2024, 30 June 2029)."""
        first = date.fromisoformat(f"{self.cycle_start}-01")
        y, m = int(self.cycle_end[:4]), int(self.cycle_end[5:7])
        return first, date.fromordinal(date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1)

    def months_of(self, year: int) -> tuple[int, ...]:
        """The months of `year` inside the cycle (2024: July to December)."""
        first = int(self.cycle_start[5:7]) if year == int(self.cycle_start[:4]) else 1
        last = int(self.cycle_end[5:7]) if year == int(self.cycle_end[:4]) else 12
        return tuple(range(first, last + 1))


@dataclass(frozen=True)
class ProgrammeReference:
    objective: str
    kosovo_footnote: str
    areas: tuple[ThematicArea, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    offices: tuple[Office, ...]
    positions: tuple[Position, ...]
    donors: tuple[Donor, ...]
    cost_categories: tuple[CostCategory, ...]
    risks: tuple[Risk, ...]
    figures: ProgrammeFigures
    markers: MarkerBook = field(default_factory=MarkerBook, compare=False, repr=False)
    _outputs: dict[str, Output] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._outputs.update({o.code: o for a in self.areas for o in a.outputs})

    @property
    def outputs(self) -> tuple[Output, ...]:
        return tuple(o for a in self.areas for o in a.outputs)

    def output(self, code: str) -> Output | None:
        return self._outputs.get(code)

    def area_of_output(self, code: str) -> ThematicArea | None:
        output = self.output(code)
        return next((a for a in self.areas if output and a.code == output.area_code), None)

    def office(self, code: str) -> Office | None:
        return next((o for o in self.offices if o.code == code), None)

    def jurisdiction_names(self) -> dict[str, str]:
        """Code -> the name to show (`XKX` -> `Kosovo*`), in the reference order."""
        return {j.code: j.display_name for j in self.jurisdictions}

    def jurisdiction_footnotes(self) -> dict[str, str]:
        """Shown name -> its footnote line (`Kosovo*` -> `* All references to Kosovo ...`)."""
        return {j.display_name: f"{FOOTNOTE_MARK} {j.footnote}" for j in self.jurisdictions
                if j.footnote}  # fmt: skip

    def office_names(self) -> dict[str, str]:
        """Code -> the office's one short name (`IST` -> `Istanbul`); full name: `office_labels`."""
        return {o.code: o.name for o in self.offices}

    def office_labels(self) -> dict[str, str]:
        """Code -> the office's full name, for hover texts and legends."""
        return {o.code: o.label for o in self.offices}

    def office_legend(self) -> str:
        return "; ".join(f"{o.name}: {o.label}" for o in self.offices)

    def output_label(self, code: str, width: int | None = None) -> str:
        """`1.1 · Strengthened legislative …`: the code and the output's text (cut to `width`)."""
        output = self.output(code)
        if output is None:
            return code
        return f"{code} · {output.text if width is None else clip(output.text, width)}"

    def area_label(self, code: str) -> str:
        area = next((a for a in self.areas if a.code == code), None)
        return f"{code}. {area.short_name}" if area else code

    def area_labels(self) -> dict[str, str]:
        """Code -> the thematic area as tables name it (`1` -> `1. Drugs`)."""
        return {a.code: self.area_label(a.code) for a in self.areas}

    def donor_names(self) -> dict[str, str]:
        """Code -> the donor's name."""
        return {d.code: d.name for d in self.donors}


def _s(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _amounts(mapping: dict[Any, Any] | None) -> dict[int, Decimal]:
    return {int(year): to_decimal(str(v)) for year, v in (mapping or {}).items()}


def build_reference(docs: dict[str, dict[str, Any]]) -> ProgrammeReference:
    """Build the reference from the parsed `data/*.yaml` documents, keyed by file stem."""
    areas_doc = docs["thematic_areas"]
    areas = []
    for a in areas_doc["thematic_areas"]:
        outputs = []
        for o in a["outputs"]:
            indicators = tuple(
                Indicator(
                    code=str(i["code"]),
                    output_code=str(o["code"]),
                    text=_s(i.get("text")) or LOST_WORDING,
                    baseline=_s(i.get("baseline")),
                    target=_s(i.get("target")),
                    interim_target=_s(i.get("interim_target")),
                    interval=_s(i.get("interval")),
                    means_of_verification=_s(i.get("means_of_verification")),
                    risks=_s(i.get("risks")),
                )
                for i in o.get("indicators") or []
            )
            outputs.append(
                Output(str(o["code"]), str(a["code"]), str(o["text"]).strip(), indicators)
            )
        areas.append(
            ThematicArea(
                code=str(a["code"]),
                name=a["name"],
                short_name=a.get("short_name") or a["name"],
                strategic_goal=str(a.get("strategic_goal") or "").strip(),
                outputs=tuple(outputs),
            )
        )
    jur_doc = docs["jurisdictions"]
    jurisdictions = tuple(
        Jurisdiction(
            code=j["code"],
            name=j["name"],
            western_balkans=bool(j.get("western_balkans")),
            regional=bool(j.get("regional")),
            footnote=_s(j.get("footnote")),
        )
        for j in jur_doc["jurisdictions"]
    )
    offices = tuple(
        Office(
            code=o["code"],
            name=o["name"],
            label=o.get("label") or o["name"],
            kind=o["kind"],
            jurisdiction_code=_s(o.get("jurisdiction")),
            headquarters=bool(o.get("headquarters")),
        )
        for o in docs["offices"]["offices"]
    )
    pos_doc = docs["positions"]
    positions = tuple(
        Position(
            id=p["id"],
            table_ref=p.get("table_ref") or p["id"],
            title=str(p["title"]).strip(),
            grade=str(p.get("grade") or "").strip(),
            category=p["category"],
            duty_station=p["duty_station"],
            status=p["status"],
            note=_s(p.get("note")),
        )
        for p in pos_doc["positions"]
    )
    donors = tuple(
        Donor(
            code=d["code"],
            name=d["name"],
            kind=d.get("kind") or "government",
            currency=d.get("currency") or "USD",
            status=d.get("status") or "past",
            note=_s(d.get("note")),
        )
        for d in docs["donors"]["donors"]
    )
    cost_doc = docs["cost_categories"]
    categories = tuple(CostCategory(c["code"], c["name"]) for c in cost_doc["cost_categories"])
    risks = tuple(
        Risk(
            code=r["code"],
            risk=str(r["risk"]).strip(),
            likelihood=str(r["likelihood"]),
            impact=str(r["impact"]),
            level=str(r["level"]),
            mitigation=_s(r.get("mitigation")),
            residual=_s(r.get("residual")),
        )
        for r in docs["risks"]["risks"]
    )
    money = docs["money"]
    envelope = docs["envelope"]
    period = pos_doc.get("staff_requirement_period") or {}
    figures = ProgrammeFigures(
        annual_envelope=to_decimal(str(money["annual_envelope_usd"])),
        cycle_envelope=to_decimal(str(money["cycle_envelope_usd"])),
        envelope_by_year=_amounts(envelope["envelope_usd"]),
        hard_pipeline=_amounts(money.get("hard_pipeline_usd")),
        delivery=_amounts(money.get("delivery_usd")),
        staff_requirement=to_decimal(str(pos_doc["staff_requirement_usd"])),
        staff_requirement_start=str(period.get("start", "2024-07")),
        staff_requirement_end=str(period.get("end", "2029-06")),
        programme_support_rate_percent=Decimal(
            str(money.get("programme_support_cost_rate_percent", "13"))
        ),
        cycle_start=str(envelope.get("cycle_start", "2024-07")),
        cycle_end=str(envelope.get("cycle_end", "2029-06")),
    )
    return ProgrammeReference(
        objective=str(areas_doc.get("objective") or "").strip(),
        kosovo_footnote=str(jur_doc.get("kosovo_footnote") or "").strip(),
        areas=tuple(areas),
        jurisdictions=jurisdictions,
        offices=offices,
        positions=positions,
        donors=donors,
        cost_categories=categories,
        risks=risks,
        figures=figures,
    )


def check_reference(ref: ProgrammeReference) -> list[str]:
    """Consistency problems in the reference data, each naming the record (empty if sound)."""
    problems: list[str] = []

    def dupes(kind: str, codes: list[str]) -> None:
        for code, n in Counter(codes).items():
            if n > 1:
                problems.append(f"{kind} {code!r} appears {n} times")

    dupes("Thematic area", [a.code for a in ref.areas])
    dupes("Output", [o.code for o in ref.outputs])
    dupes("Indicator", [i.code for o in ref.outputs for i in o.indicators])
    dupes("Jurisdiction", [j.code for j in ref.jurisdictions])
    dupes("Office", [o.code for o in ref.offices])
    dupes("Position", [p.id for p in ref.positions])
    jurisdiction_codes = {j.code for j in ref.jurisdictions}
    for area in ref.areas:
        for output in area.outputs:
            if not output.code.startswith(f"{area.code}."):
                problems.append(f"Output {output.code} is filed under thematic area {area.code}")
    for office in ref.offices:
        if office.jurisdiction_code and office.jurisdiction_code not in jurisdiction_codes:
            problems.append(
                f"Office {office.code}: unknown jurisdiction {office.jurisdiction_code}"
            )
    for p in ref.positions:
        office = ref.office(p.duty_station)
        if office is None:
            problems.append(f"Position {p.id}: unknown duty station {p.duty_station}")
        elif p.category == "service_contract" and office.headquarters:
            problems.append(
                f"Position {p.id}: a service contract cannot sit at a headquarters duty station "
                f"({office.name})"
            )
        if p.status not in {"existing", "new"}:
            problems.append(f"Position {p.id}: status must be existing or new, not {p.status!r}")
        if p.category not in CATEGORY_LABELS:
            problems.append(f"Position {p.id}: unknown category {p.category!r}")
    return problems
