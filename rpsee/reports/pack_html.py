"""The approval pack's accessible edition: the same `Pack` the PDF draws, as one semantic HTML
page for screen readers. `lang` on the page, one h1 (the pack), an h2 per section (and for the
contents), h3 for the headings inside a section, so the outline never skips a level; every
table a `<table>` with its title as `<caption>`, column headers `<th scope="col">` and each
row's label `<th scope="row">`; every chart a `<figure>` whose text alternative is the table
of its figures (`rpsee.domain.chart_tables`); the risk grid as a table. Every text is escaped
(`html.escape`); figures print as in the PDF (`rpsee.reports.pack.tables.shown`)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from rpsee.domain.chart_tables import data_table
from rpsee.domain.pack import Chart, Heading, Pack, Section, Text
from rpsee.domain.risk_matrix import RiskGrid, grid_table
from rpsee.domain.tables import Kind, RowKind
from rpsee.domain.tables import Table as Model
from rpsee.reports.pack.tables import shown

STYLE = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; line-height: 1.45; margin: 1.5rem auto;
       max-width: 80rem; padding: 0 1rem; color: #1b1b1b; }
h1, h2, h3 { color: #1f3864; }
table { border-collapse: collapse; margin: 0.75rem 0; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; color: #1f3864; padding: 0.3rem 0; }
th, td { border: 1px solid #c8d0db; padding: 0.2rem 0.45rem; vertical-align: top; }
thead th { background: #1f4e79; color: #fff; }
tbody th { text-align: left; font-weight: normal; }
tr.total th, tr.subtotal th { font-weight: bold; }
.scroll { overflow-x: auto; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total, tr.subtotal { font-weight: bold; background: #dde5ef; }
.note { font-size: 0.85rem; color: #4a5361; }
.draft { border: 2px solid #b03a2e; padding: 0.4rem; color: #b03a2e; font-weight: bold; }
dl.cover { display: grid; grid-template-columns: 12rem 1fr; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
"""


def _text(value: object) -> str:
    """User or reference text, escaped (quotes too); line breaks kept."""
    return escape(str(value), quote=True).replace("\n", "<br>")


def table_html(model: Model) -> str:
    """A domain table as an HTML table with its caption, notes and footnotes."""
    head = "".join(f'<th scope="col">{_text(c.name)}</th>' for c in model.columns)
    body = []
    for row in model.body():
        kind = {RowKind.TOTAL: ' class="total"', RowKind.SUBTOTAL: ' class="subtotal"'}.get(
            row.kind, "")  # fmt: skip
        cells = []
        for i, (col, cell) in enumerate(zip(model.columns, row.cells, strict=True)):
            text = _text(shown(col.kind, cell))
            if i == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                num = "" if col.kind is Kind.TEXT else ' class="num"'
                cells.append(f"<td{num}>{text}</td>")
        body.append(f"<tr{kind}>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(model.columns)}">None.</td></tr>')
    notes = "".join(f'<p class="note">{_text(n)}</p>' for n in (*model.notes, *model.footnotes)
                    if n)  # fmt: skip
    title = _text(model.title)
    return (f'<div class="scroll" role="region" aria-label="{title}" tabindex="0">'
            f"<table><caption>{title}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>{notes}")  # fmt: skip


def _texts(s: Section) -> Iterable[str]:
    """Every text a section prints (to find the places it names)."""
    yield s.title
    for b in s.blocks:
        if isinstance(b, Model):
            yield b.title
            yield from (str(c) for r in b.body() for c in r.cells if c is not None)
            yield from (*b.notes, *b.footnotes)
        elif isinstance(b, Text | Heading):
            yield b.text
        elif isinstance(b, Chart):
            yield b.title


def _section(n: int, s: Section, pack: Pack) -> str:
    out = [f'<section id="s{n}" aria-labelledby="s{n}-h">',
           f'<h2 id="s{n}-h">{n}. {_text(s.title)}</h2>']  # fmt: skip
    for b in s.blocks:
        if isinstance(b, Model):
            out.append(table_html(b))
        elif isinstance(b, Heading):
            out.append(f"<h3>{_text(b.text)}</h3>")
        elif isinstance(b, Text):
            cls = {"note": ' class="note"', "lead": ' class="lead"'}.get(b.style, "")
            text = f"<strong>{_text(b.text)}</strong>" if b.style == "lead" else _text(b.text)
            out.append(f"<p{cls}>{text}</p>")
        elif isinstance(b, Chart):
            out.append(f"<figure><figcaption>Chart: {_text(b.title)}. Its figures are in the "
                       f"table below.</figcaption>{table_html(data_table(b.spec, b.title))}"
                       "</figure>")  # fmt: skip
        elif isinstance(b, RiskGrid):
            out.append(table_html(grid_table(b)))
    named = " ".join(_texts(s))
    out += [f'<p class="note">{_text(note)}</p>' for name, note in sorted(pack.page_notes.items())
            if name in named]  # fmt: skip
    out.append("</section>")
    return "\n".join(out)


def render_html(pack: Pack) -> str:
    """The accessible edition of `pack` as one HTML page (UTF-8 text)."""
    title = f"{pack.title}: {pack.version_id}"
    edition = "observer edition" if pack.edition == "observer" else "full edition"
    cover = "".join(f"<dt>{_text(k)}</dt><dd>{_text(v)}</dd>" for k, v in pack.cover)
    draft = ('<p class="draft">DRAFT: this version is not approved.</p>'
             if pack.draft else "")  # fmt: skip
    contents = "".join(f'<li><a href="#s{n}">{_text(s.title)}</a></li>'
                       for n, s in enumerate(pack.sections, start=1))  # fmt: skip
    sections = "\n".join(_section(n, s, pack) for n, s in enumerate(pack.sections, start=1))
    return f"""<!DOCTYPE html>
<html lang="{_text(pack.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_text(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<p>United Nations Office on Drugs and Crime · {_text(pack.programme)}</p>
<h1>{_text(pack.title)}</h1>
<p><strong>{_text(pack.version_id)}</strong> · made {_text(pack.made_at)} · {edition}</p>
{draft}
<dl class="cover">{cover}</dl>
</header>
<nav aria-labelledby="contents-h">
<h2 id="contents-h">Contents</h2>
<ol>{contents}</ol>
</nav>
<main>
{sections}
</main>
<footer><p>{_text(pack.version_id)} · made {_text(pack.made_at)} · {edition}. The accessible
edition of the approval pack: the same content as the PDF.</p></footer>
</body>
</html>
"""
