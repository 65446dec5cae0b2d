"""Free text refused when too long or holding characters nobody sees; line breaks where allowed."""

from __future__ import annotations

import pytest

from rpsee.domain.text_rules import text_problem


@pytest.mark.parametrize("text", ["Police & prosecutors", "<script>x</script>", "=HYPERLINK(1)",
                                  "Приштина / Prishtinë", "عربي", "emoji 👩‍⚖️", "x" * 300])
def test_sound_text_passes(text: str) -> None:
    assert text_problem(text, 300) is None


@pytest.mark.parametrize(("text", "fragment"), [
    ("x" * 301, "is longer than 300 characters (301)"),
    ("a\x00b", "control character (U+0000) at character 2"),
    ("a\nb", "control character (U+000A)"),
    ("\u202etxt.exe", "invisible direction mark (U+202E) at character 1"),
    ("a\u2066b", "direction mark (U+2066)"),
    ("\x7f", "control character (U+007F)"),
    ("\x85", "control character (U+0085)"),
])  # fmt: skip
def test_bad_text_is_refused_saying_why(text: str, fragment: str) -> None:
    problem = text_problem(text, 300)
    assert problem is not None and fragment in problem


def test_line_breaks_allowed_in_multi_line_fields() -> None:
    assert text_problem("one\ntwo\r\n\tthree", 4000, lines=True) is None
    assert "U+0000" in (text_problem("one\n\x00", 4000, lines=True) or "")
