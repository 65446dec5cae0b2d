"""Meeting mode in Chromium: a control changed as the benchmark changes it (a click on the
"Count" radio, one arrow key on the exchange-rate shock slider) redraws the gap figure and the
chart with the service's figures for the new assumptions (what
`meeting_control_browser_ms_median` waits for)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from bench.meeting_browser import _DONE
from tests.e2e.conftest import log_in_and_wait, open_page, settled

YEAR = 2026


def _service(state: str, scenario, mode: str) -> tuple[str, list[float], list[float], int, int]:  # noqa: ANN001
    """The gap shown, the chart's funded and gap per year (USD million), and YEAR's
    requirement and funding in cents, as the service computes them on the server's database."""
    from rpsee.domain.money import format_millions, from_cents
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.services import scenarios

    planner = CurrentUser("demo.planner", "Planner", Role.PLANNER)
    r = scenarios.evaluate(planner, scenario, url=f"sqlite:///{Path(state) / 'rpsee.sqlite'}")
    years = [r.funding[mode][y].total for y in r.years]
    gap = sum(t.requirement_cents - t.funded_cents for t in years)
    year = r.funding[mode][YEAR].total
    return (format_millions(from_cents(gap)), [t.funded_cents / 1e8 for t in years],
            [(t.requirement_cents - t.funded_cents) / 1e8 for t in years],
            year.requirement_cents, year.funded_cents)  # fmt: skip


def _shown(page) -> tuple[str, str, list[str]]:  # noqa: ANN001
    """The gap figure, YEAR's gap bar label in the chart's data, and the bar labels drawn."""
    gap = page.get_by_test_id("stMetricValue").nth(1).inner_text().strip()
    label, drawn = page.evaluate(
        """(i) => { const gd = document.querySelector("[data-testid='stMain'] .js-plotly-plot");
                    return [gd.data[1].text[i],
                            [...gd.querySelectorAll(".bartext")].map(t => t.textContent)]; }""",
        YEAR - 2024,
    )
    return gap, label, drawn


def _wait(page, want: tuple) -> None:  # noqa: ANN001
    page.wait_for_function(_DONE, arg=list(want[:3]), polling="raf", timeout=30000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_meeting_control_redraws_the_service_figures(server, context) -> None:  # noqa: ANN001
    from rpsee.domain.money import format_millions, from_cents
    from rpsee.domain.scenario import Scenario

    page = context.new_page()
    log_in_and_wait(page, server.url, "demo.planner")
    open_page(page, "Meeting mode", "Meeting mode")
    page.locator("[data-testid='stMain'] .js-plotly-plot").wait_for(timeout=30000)
    settled(page)

    both = _service(server.state, Scenario("Meeting"), "hard_soft")
    _wait(page, both)  # the page opens on hard + soft, baseline
    hard = _service(server.state, Scenario("Meeting"), "hard")
    assert hard[0] != both[0]
    # Hand check: nothing is signed for 2026 (the demo's hard pipeline is 2024 and 2025), so hard
    # only funds nothing that year and its gap is the whole requirement; soft money narrows it.
    assert hard[4] == 0
    assert 0 < both[4] < both[3]
    page.get_by_test_id("stRadio").filter(has_text="Count").get_by_text(
        "Hard only", exact=True).click()  # fmt: skip
    _wait(page, hard)
    gap, label, drawn = _shown(page)
    assert gap == hard[0]
    assert label == format_millions(from_cents(hard[3])) and label in drawn

    page.get_by_test_id("stRadio").filter(has_text="Count").get_by_text(
        "Hard + soft", exact=True).click()  # fmt: skip
    _wait(page, both)
    gap, label, drawn = _shown(page)
    assert gap == both[0]
    assert label == format_millions(from_cents(both[3] - both[4])) and label in drawn

    # One arrow key on the shock slider, Swedish krona chosen: SEK 5% stronger. Hand check:
    # Sweden's soft SEK 8,000,000 for 2026 is not earmarked and all of it funds 2026 needs;
    # at USD 0.0944 per SEK it is USD 755,200.00, 5% stronger USD 792,960.00: 2026's funding
    # grows by exactly USD 37,760.00. (An EUR shock moves nothing funded in 2026: the EU's
    # EUR 3M there is earmarked to area 2 and more than its need; Germany's EUR pays GPML only.)
    shocked = _service(server.state, Scenario("Meeting", fx_shocks={"SEK": Decimal(5)}),
                       "hard_soft")  # fmt: skip
    assert shocked[4] - both[4] == 3_776_000
    page.get_by_test_id("stSelectbox").filter(has_text="Currency").click()
    page.get_by_role("option", name="SEK", exact=True).click()
    settled(page)
    page.get_by_role("slider", name="Exchange-rate shock %").focus()
    page.keyboard.press("ArrowRight")
    _wait(page, shocked)
    gap, label, _drawn = _shown(page)
    assert gap == shocked[0]
    assert label == format_millions(from_cents(shocked[3] - shocked[4]))
