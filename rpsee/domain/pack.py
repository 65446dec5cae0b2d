"""The Steering Committee approval pack as plain content: sections of tables (the pages' own
table model), text and charts, and the identifiers every page carries. Built by
`pack_content.assemble`, drawn by `rpsee.reports.pack` (which adds no figure of its own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rpsee.domain.risk_matrix import RiskGrid
from rpsee.domain.tables import Table

PROGRAMME = "Regional Programme for South-Eastern Europe 2024–2029"
TITLE = "Steering Committee (PSC) approval pack"
LANG = "en-GB"  # the language both editions declare (PDF /Lang, HTML lang)


@dataclass(frozen=True)
class Text:
    """Plain text (never markup: the renderer escapes it). `style`: body, note or lead."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Chart:
    """A chart drawn from a chart spec (`rpsee/domain/chart_specs.py`)."""

    spec: Any
    title: str
    height: float = 190.0  # points


Block = Table | Text | Heading | Chart | RiskGrid


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    landscape: bool = False  # wide tables: the section's pages in landscape


@dataclass(frozen=True)
class Pack:
    version_id: str  # "2026 workplan, version 2 · submitted": on every page
    status: str
    cover: tuple[tuple[str, str], ...]  # (label, value) lines of the cover
    sections: tuple[Section, ...]
    made_at: str  # "2026-11-29 16:50 UTC"
    edition: str  # full or observer
    page_notes: dict[str, str] = field(default_factory=dict)  # shown name -> its footnote
    programme: str = PROGRAMME
    title: str = TITLE
    created: datetime | None = None  # when it was made (the PDF's creation date)
    lang: str = LANG
    short_title: str = "approval pack"  # in every page's header
    final: bool = False  # a document that is never a draft (a report as given)

    @property
    def draft(self) -> bool:
        """Every page carries a DRAFT mark until the version is approved (a final document:
        never)."""
        return not self.final and self.status != "approved"


def version_id(year: int, version_no: int, status: str) -> str:
    return f"{year} workplan, version {version_no} · {status}"
