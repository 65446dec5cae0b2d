"""The programme's calendar and staffing rules on the Overview and Staffing pages."""

from __future__ import annotations


def test_overview_says_the_yearly_envelopes_agree_with_the_document(app_for) -> None:  # noqa: ANN001
    at = app_for("psc_member").run()
    assert not at.exception, at.exception
    cycle = next(m for m in at.metric if m.label == "Cycle envelope (document)")
    assert (cycle.value, cycle.delta) == ("USD 55M", "USD 55M by year, agrees")
    captions = " ".join(c.value for c in at.caption)
    assert "add up to USD 55,000,000.00: the document's total" in captions
    assert "2029 January–June" in captions
