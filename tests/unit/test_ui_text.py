"""The one escaping helper: markup, links and bare URLs from users and files shown as typed."""

from __future__ import annotations

import re

import pytest

from rpsee.ui.text import WORD_JOINER, md, plot_text

HOSTILE = "**bold** :red[x] [phish](https://evil.example/a) <script>x</script> $x$ # h"


def _unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace(WORD_JOINER, "")


def test_markup_is_escaped_and_reads_back_as_typed() -> None:
    out = md(HOSTILE)
    assert not re.search(r"(?<!\\)[*:\[\]()<$#]", out), out  # each one escaped
    assert _unescaped(out) == HOSTILE


@pytest.mark.parametrize("text", ["see https://evil.example", "http://x.org", "www.evil.org",
                                  "mail a@evil.org", "HTTPS://EVIL.EXAMPLE", "javascript:x()"])
def test_bare_urls_and_addresses_are_not_linked(text: str) -> None:
    out = md(text)
    plain = out.replace("\\", "")
    assert not re.search(r"(?i)(https?://|www\.|@[a-z])", plain), out
    assert _unescaped(out) == text


def test_line_breaks_are_kept_but_start_no_markup() -> None:
    out = md("a\n\n# heading\n- item\nTitle\n===")
    assert out == "a\n\n\\# heading\n\\- item\nTitle\n\\=\\=\\="


def test_empty_and_none() -> None:
    assert md(None) == "" and md("") == ""


def test_plot_text_escapes_markup_but_shows_quotes() -> None:
    out = plot_text('Police "joint" <b>x</b> & co')
    assert out == 'Police "joint" &lt;b&gt;x&lt;/b&gt; &amp; co'


def test_the_timeline_shows_quotes_as_typed_and_markup_escaped() -> None:
    from dataclasses import replace

    from rpsee.store.data_files import load_reference
    from rpsee.ui.workplan_views import timeline
    from tests.unit.test_domain_workplan import act

    line = act("2026-2.3-001", "2.3", {"TRAVEL": "1"}, jur=("ALB",), months=(3, 4))
    line = replace(line, title='Police "joint" <b>training</b> & co')
    fig = timeline([line], load_reference(), 2026)
    label = fig.data[0].y[0]
    assert label == '2026-2.3-001 · Police "joint" &lt;b&gt;training&lt;/b&gt; &amp; co'
    assert "&quot;" not in str(fig.data[0].customdata)
