"""The approval pack's PDF read back with pypdf: the printed totals are the domain's to the
cent, every page carries the version identifier and "page N of M", a DRAFT mark on every page
until the version is approved, the Kosovo footnote on every page that names Kosovo, the
letters of the region's names, and user text printed literally (escaped), reproducibly."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from rpsee.domain.money import format_amount, format_usd
from rpsee.domain.pack_content import assemble
from rpsee.domain.workplan_totals import by_area, grand_total
from rpsee.reports.pack import render
from rpsee.reports.pack.flowables import markup
from tests.unit.pack_fixtures import demo_lines, pack_inputs, page_texts, retitled

HOSTILE = '<b>R&D "x"</b> & <font size=40>big</font> <img src="/etc/passwd"/>'
NAMES = "Đorđević Čačak Ćuprija Šabac Žabljak Türkiye Podgorica č ć š ž đ"


@pytest.fixture(scope="module")
def draft():  # noqa: ANN201
    lines = retitled(demo_lines(), {0: HOSTILE, 1: NAMES})
    inputs = pack_inputs("draft", lines)
    return inputs, page_texts(render(assemble(inputs)))


def _whole(pages: list[str]) -> str:
    return " ".join(pages)


def test_the_workplan_totals_are_the_domains_to_the_cent(draft) -> None:  # noqa: ANN001
    inputs, pages = draft
    text = _whole(pages)
    total = format_amount(grand_total(inputs.activities))
    assert f"Activity budgets of the 2026 workplan, version 2: USD {total}." in text
    assert f"Total {total} –" in text  # the by-area table's Total row (share not summed)
    ref = inputs.ref
    for code, amount in by_area(inputs.activities).items():
        assert f"{ref.area_label(code)} {format_amount(amount)}" in text, code
    # the bottom-right cell of area x cost category is the workplan's total
    assert re.search(rf"Total( [\d,]+\.\d\d){{7}} {re.escape(total)}", text)


def test_staffing_and_pipeline_totals_are_the_domains(draft) -> None:  # noqa: ANN001
    inputs, pages = draft
    text = _whole(pages)
    years = inputs.costing.years()
    cycle = sum((inputs.costing.net_total(y) for y in years), Decimal(0))
    assert f"Total: charged {' '.join(format_amount(inputs.costing.net_total(y)) for y in years)}"\
        f" {format_amount(cycle)}" in text  # fmt: skip
    r = inputs.reconciliation
    assert f"difference {format_usd(r.difference)}." in text  # the reconciliation line
    assert f"Programme document {format_amount(r.document)} Difference " \
        f"{format_amount(r.difference)}" in text  # the summary  # fmt: skip
    pipeline = sum((t.usd for t in inputs.pipeline.tranches), Decimal(0))
    assert format_amount(pipeline) in text
    by_status = {s: sum((t.usd for t in inputs.pipeline.tranches if t.status == s), Decimal(0))
                 for s in ("hard", "soft", "prospect")}  # fmt: skip
    for status, amount in by_status.items():
        label = status.capitalize()
        assert re.search(rf"{label}( [\d,.–-]+)* {re.escape(format_amount(amount))}", text)


def test_every_page_carries_the_version_and_its_number(draft) -> None:  # noqa: ANN001
    _inputs, pages = draft
    assert len(pages) > 10
    for n, page in enumerate(pages, start=1):
        assert "2026 workplan, version 2 · draft" in page, n
        assert f"Page {n} of {len(pages)}" in page, n


def test_draft_mark_on_every_page_of_a_draft_and_on_none_once_approved(draft) -> None:  # noqa: ANN001
    _inputs, pages = draft
    assert all("DRAFT" in p for p in pages)
    approved = page_texts(render(assemble(pack_inputs("approved"))))
    assert approved and not any("DRAFT" in p for p in approved)
    assert all("2026 workplan, version 2 · approved" in p for p in approved)


def test_kosovo_footnote_on_every_page_naming_kosovo(draft) -> None:  # noqa: ANN001
    _inputs, pages = draft
    naming = [n for n, p in enumerate(pages) if "Kosovo" in p]
    assert len(naming) >= 3  # the jurisdiction table and the annex
    for n in naming:
        assert "resolution 1244 (1999)" in pages[n], n
    assert "Kosovo*" in _whole(pages)


def test_names_of_the_region_print_as_typed(draft) -> None:  # noqa: ANN001
    _inputs, pages = draft
    assert NAMES in _whole(pages)


def test_user_text_prints_literally(draft) -> None:  # noqa: ANN001
    _inputs, pages = draft
    assert '<b>R&D "x"</b> & <font size=40>big</font> <img src="/etc/passwd"/>' in _whole(pages)


def test_markup_escapes_ampersand_angle_brackets_and_quotes() -> None:
    assert markup('<b>R&D "x"</b> it\'s') == ("&lt;b&gt;R&amp;D &quot;x&quot;&lt;/b&gt; "
                                             "it&#39;s")  # fmt: skip
    assert markup("a\nb") == "a<br/>b"


def test_the_same_pack_gives_the_same_bytes() -> None:
    inputs = pack_inputs("submitted")
    assert render(assemble(inputs)) == render(assemble(inputs))


def test_charts_are_drawn_from_the_printed_figures() -> None:
    from rpsee.domain.money import format_millions
    inputs = pack_inputs("submitted")
    text = _whole(page_texts(render(assemble(inputs))))
    assert "Envelope and plan by year (USD million)" in text
    assert "The pipeline by donor (hard + soft, USD million)" in text
    hard = [r for r in inputs.ref.figures.hard_pipeline.values()]
    assert all(format_millions(v) in text for v in hard)  # the overview chart's labels


def test_a_frozen_scenario_named_with_markup_prints_literally() -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from bench.scenario import demo_inputs
    from rpsee.domain.pack_content import FrozenFigures
    from rpsee.domain.scenario import Scenario
    from rpsee.domain.scenario_figures import evaluate
    from rpsee.domain.scenario_record import freeze

    name = '<b>R&D "x"</b> Đorđević'
    at = datetime(2026, 11, 29, tzinfo=UTC)
    record = freeze(Scenario(name), evaluate(demo_inputs(1)), None, at, "demo.planner")
    frozen = FrozenFigures(name, at, "demo.planner", record.content_hash, True, record.body)
    text = _whole(page_texts(render(assemble(replace(pack_inputs("submitted"),
                                                      scenarios=[frozen])))))  # fmt: skip
    assert f"{name}: by year" in text and f"{name}: money by donor" in text
    assert f"frozen funding scenarios: {name}." in text  # the decisions requested


def test_the_heat_map_prints_thousands_as_its_title_says(draft) -> None:  # noqa: ANN001
    from rpsee.domain.chart_specs import thousands

    inputs, pages = draft
    page = next(p for p in pages if "thematic area × office (USD '000" in p)
    assert "(USD '000, rounded to the nearest thousand)" in page
    heat = inputs.comparisons[2026].heat
    # by hand: anti-corruption in Istanbul 794,409.35 -> 794; drugs in Istanbul 59,698.16 -> 60
    assert heat[("3", "IST")] == Decimal("794409.35") and heat[("1", "IST")] == Decimal("59698.16")
    assert " 794 " in page and " 60 " in page and "794,409" not in page
    assert not re.search(r"USD \d{1,3},\d{3}\b", page.split("envelope, allocation")[0])
    for value in heat.values():  # every cell in thousands, none in full dollars
        if value >= 1000:
            assert f" {thousands(value)} " in page, value


def test_every_chart_prints_its_figures_in_the_unit_its_title_states() -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from bench.scenario import demo_inputs
    from rpsee.domain import chart_specs as cs
    from rpsee.domain.pack import Chart
    from rpsee.domain.pack_content import FrozenFigures
    from rpsee.domain.scenario import Scenario
    from rpsee.domain.scenario_figures import evaluate
    from rpsee.domain.scenario_record import freeze

    at = datetime(2026, 11, 29, tzinfo=UTC)
    record = freeze(Scenario("S"), evaluate(demo_inputs(1)), None, at, "demo.planner")
    frozen = FrozenFigures("S", at, "demo.planner", record.content_hash, True, record.body)
    pack = assemble(replace(pack_inputs("submitted"), scenarios=[frozen]))
    charts = [b for s in pack.sections for b in s.blocks if isinstance(b, Chart)]
    assert len(charts) == 7  # heat map, cycle, donors, funding, gaps; waterfall, money by donor
    for chart in charts:
        spec, unit = chart.spec, chart.spec.unit
        assert f"({unit}" in chart.title or f", {unit}" in chart.title, chart.title
        texts = [t for s in spec.series for t in (s.labels or ()) if t]
        texts += [s.text for s in spec.steps]
        if unit == cs.MILLION:  # "USD 8.1M": millions, as the axis
            assert all(re.fullmatch(r"USD [\d,.]+M", t) for t in texts), (chart.title, texts)
        else:  # USD '000: plain thousands in the cells, never a dollar amount
            assert spec.grid is not None and not texts
            for row, labels in zip(spec.grid.values, spec.grid.labels, strict=True):
                for v, t in zip(row, labels, strict=True):
                    assert t == (cs.thousands(v) if v else ""), (v, t)


def test_the_pdf_declares_its_language_and_its_real_creation_date() -> None:
    import io

    from pypdf import PdfReader

    from tests.unit.pack_fixtures import MADE

    reader = PdfReader(io.BytesIO(render(assemble(pack_inputs("submitted")))))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata.creation_date == MADE  # not invariant mode's 2000-01-01
    later = replace(pack_inputs("submitted"), made_at=MADE.replace(hour=15, minute=30))
    assert PdfReader(io.BytesIO(render(assemble(later)))).metadata.creation_date.hour == 15


def test_the_logframe_and_risk_pages_print_no_placeholder_and_the_grid(draft) -> None:  # noqa: ANN001
    _inputs, pages = draft
    logframe = [p for p in pages if "Logframe: output indicators and targets" in p]
    risk = next(p for p in pages if "Risk matrix: likelihood × impact" in p)
    assert logframe
    for page in pages:  # nowhere in the pack
        assert "[...]" not in page and "[…]" not in page and "legible" not in page
    assert "To be defined by the Steering Committee" in " ".join(logframe)
    # the grid: the High-likelihood row holds R2-R5 in the Medium-impact cell
    assert re.search(r"High \(Medium\) R2, R3, R4, R5 \(Medium\) \(High\)", risk), risk
    assert "R1 (Medium)" in risk and "Impact" in risk
