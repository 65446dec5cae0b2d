"""The approval pack's accessible HTML edition, parsed with html.parser: a strict structure
(tags balanced, one h1 and headings that never skip a level, every table with a caption and
scoped headers, charts as figures with their data, `lang`), user text escaped, and the same
tables and totals as the PDF edition of the same pack."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from rpsee.domain.chart_tables import data_table
from rpsee.domain.money import format_amount
from rpsee.domain.pack import Chart
from rpsee.domain.pack_content import assemble
from rpsee.domain.risk_matrix import RiskGrid
from rpsee.domain.tables import Kind, Table
from rpsee.domain.workplan_totals import grand_total
from rpsee.reports.pack import render
from rpsee.reports.pack.tables import shown
from rpsee.reports.pack_html import render_html
from tests.unit.pack_fixtures import demo_lines, pack_inputs, page_texts, retitled

HOSTILE = '<b>R&D "x"</b> & <font size=40>big</font> <img src="/etc/passwd"/> <script>x</script>'
VOID = {"meta", "br", "img", "link", "hr", "input"}


class Strict(HTMLParser):
    """Records the outline and the tables; raises on any tag closed out of order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str]] = []
        self.tables: list[dict] = []  # caption, rows of cell texts, row classes
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self.ids: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"] or "")
        if tag == "html":
            self.lang = a.get("lang")
        if tag not in VOID:
            self.stack.append(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        elif tag == "table":
            self.tables.append({"caption": None, "rows": [], "classes": [], "first": None})
        elif tag == "caption":
            self._caption = []
            if self.tables[-1]["first"] is None:
                self.tables[-1]["first"] = "caption"
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
            self.tables[-1]["classes"].append(a.get("class"))
        elif tag in ("td", "th"):
            if self.tables[-1]["first"] is None:
                self.tables[-1]["first"] = tag
            if tag == "th":
                assert a.get("scope") in ("col", "row"), f"a th without scope: {a}"
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if tag.startswith("h") and tag[1:].isdigit() and self._heading is not None:
            self.headings.append((int(tag[1]), "".join(self._heading)))
            self._heading = None
        elif tag == "caption":
            self.tables[-1]["caption"] = "".join(self._caption or [])
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for part in (self._heading, self._cell, self._caption):
            if part is not None:
                part.append(data)


def parse(html: str) -> Strict:
    p = Strict()
    p.feed(html)
    p.close()
    assert not p.stack, f"left open: {p.stack}"
    return p


@pytest.fixture(scope="module")
def both():  # noqa: ANN201
    lines = retitled(demo_lines(), {0: HOSTILE})
    pack = assemble(pack_inputs("draft", lines))
    html = render_html(pack)
    return pack, html, parse(html), " ".join(page_texts(render(pack)))


def test_the_page_declares_its_language_and_an_outline_without_gaps(both) -> None:  # noqa: ANN001
    pack, html, p, _pdf = both
    assert html.startswith("<!DOCTYPE html>") and p.lang == "en-GB"
    levels = [level for level, _t in p.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, p.headings  # never h2 -> h4
    h2 = [t for level, t in p.headings if level == 2]
    assert h2 == ["Contents", *(f"{n}. {s.title}" for n, s in enumerate(pack.sections, 1))]
    assert len(p.ids) == len(set(p.ids))  # ids unique
    links = [a["href"] for tag, a in p.tags if tag == "a"]
    assert links and all(h.startswith("#") and h[1:] in p.ids for h in links)


def test_every_table_has_a_caption_first_and_headers_by_scope(both) -> None:  # noqa: ANN001
    _pack, _html, p, _pdf = both
    assert len(p.tables) > 20
    for t in p.tables:
        assert t["first"] == "caption" and t["caption"], t["caption"]
    assert not [a for tag, a in p.tags if tag == "img" and not a.get("alt")]


def test_user_text_is_escaped(both) -> None:  # noqa: ANN001
    _pack, html, p, _pdf = both
    assert HOSTILE in "".join(p.text)  # read back as typed
    assert not [tag for tag, _a in p.tags if tag in ("b", "font", "img", "script")]
    assert "&lt;b&gt;R&amp;D &quot;x&quot;&lt;/b&gt;" in html


def test_the_same_tables_and_totals_as_the_pdf(both) -> None:  # noqa: ANN001
    pack, _html, p, pdf = both
    by_caption: dict[str, list] = {}
    for t in p.tables:
        by_caption.setdefault(t["caption"], []).append(t)
    models = [b for s in pack.sections for b in s.blocks if isinstance(b, Table)]
    assert len(models) > 15
    totals = 0
    for m in models:
        printed = [[shown(c.kind, r.cells[i]) for i, c in enumerate(m.columns)]
                   for r in m.body()]  # fmt: skip
        t = by_caption[m.title].pop(0)
        assert t["rows"][0] == [c.name for c in m.columns], m.title
        assert t["rows"][1:] == printed, m.title  # every cell as the PDF prints it
        if m.total:
            totals += 1
            assert t["classes"][-1] == "total", m.title
            for cell, col in zip(printed[-1], m.columns, strict=True):
                if col.kind is not Kind.TEXT and cell != "–":
                    assert cell in pdf, (m.title, col.name, cell)  # the PDF's total too
    assert totals > 10
    total = format_amount(grand_total(pack_inputs("draft").activities))
    assert f"USD {total}" in pdf


def test_charts_and_the_risk_grid_as_tables(both) -> None:  # noqa: ANN001
    pack, _html, p, _pdf = both
    captions = [t["caption"] for t in p.tables]
    figures = [tag for tag, _a in p.tags if tag == "figure"]
    charts = [b for s in pack.sections for b in s.blocks if isinstance(b, Chart)]
    assert len(figures) == len(charts) >= 3
    for chart in charts:
        data = data_table(chart.spec, chart.title)
        t = next(t for t in p.tables if t["caption"] == data.title)
        assert t["rows"][1:] == [[shown(c.kind, r.cells[i]) for i, c in
                                  enumerate(data.columns)] for r in data.body()]  # fmt: skip
    grid = next(b for s in pack.sections for b in s.blocks if isinstance(b, RiskGrid))
    t = next(t for t in p.tables if t["caption"] == grid.title)
    assert t["rows"][1] == ["High", "none (level Medium)", "R2, R3, R4, R5 (level Medium)",
                            "none (level High)"]
    assert "Logframe: output indicators and targets" in captions


def test_the_strict_parser_catches_what_it_should() -> None:
    with pytest.raises(AssertionError):
        parse("<html><body><h1>x</h2></body></html>")
    with pytest.raises(AssertionError):
        parse("<table><caption>x</caption><tr><th>no scope</th></tr></table>")
    p = parse("<h1>a</h1><h3>b</h3>")
    levels = [lv for lv, _t in p.headings]
    assert any(b > a + 1 for a, b in zip(levels, levels[1:], strict=False))  # would be refused


def test_a_pack_of_the_observer_edition_says_so() -> None:
    from dataclasses import replace

    pack = assemble(replace(pack_inputs("submitted"), edition="observer"))
    assert "observer edition" in render_html(pack)
