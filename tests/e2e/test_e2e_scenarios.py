"""Funding scenarios in Chromium at 1280×720: the side-by-side comparison of two saved
scenarios, and meeting mode before and after a control change (screenshots saved to
tests/artifacts/ to look at); no exception, no cell reading "None"."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import log_in_and_wait, open_page, settled, shot


def _save_two(state: str) -> None:
    """Two saved scenarios in the server's own database (its state folder's SQLite file)."""
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.domain.scenario import Scenario
    from rpsee.services import scenarios

    url = f"sqlite:///{Path(state) / 'rpsee.sqlite'}"
    planner = CurrentUser("demo.planner", "Planner", Role.PLANNER)
    have = {s.name for s in scenarios.list_scenarios(planner, url=url)}
    for s in (Scenario("Soft money a year late", delays={"SWE": 1, "EU": 1}),
              Scenario("Cautious: 50% cut-off, 10% cut", probability_cutoff=Decimal(50),
                       requirement_cut_percent=Decimal(10))):  # fmt: skip
        if s.name not in have:
            scenarios.save_scenario(planner, s, url=url)


def test_comparison_and_meeting_mode_screens(server, browser) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    try:
        log_in_and_wait(page, server.url, "demo.planner")
        _save_two(server.state)  # after the app prepared its database (demo pipeline)
        open_page(page, "Funding scenarios", "Funding scenarios")
        shot(page, "scenarios-results-1280")
        page.get_by_role("tab", name="Compare").click()
        settled(page)
        side = page.get_by_text("Side by side (cycle; gap and cover hard + soft)")
        expect(side).to_have_count(1)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        side.scroll_into_view_if_needed()
        page.mouse.wheel(0, 250)
        page.wait_for_timeout(300)
        shot(page, "scenarios-compare-1280")
        page.get_by_text("Per scenario", exact=True).scroll_into_view_if_needed()
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(500)
        shot(page, "scenarios-compare-charts-1280")
        cells = [t.strip() for t in page.locator("[data-testid='stDataFrame'] table td")
                 .all_inner_texts()]  # fmt: skip
        assert not [t for t in cells if t in ("None", "nan", "<NA>")]
        open_page(page, "Meeting mode", "Meeting mode")
        expect(page.get_by_test_id("stMetricValue")).to_have_count(3, timeout=30000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
        settled(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        shot(page, "meeting-1280")
        gap = page.get_by_test_id("stMetricValue").nth(1).inner_text()
        box = page.get_by_label("Donor out")
        box.click()
        box.fill("United States")  # donors by name
        box.press("Enter")
        settled(page)
        page.wait_for_timeout(1000)
        expect(page.get_by_test_id("stMetricValue").nth(1)).not_to_have_text(gap)
        shot(page, "meeting-usa-out-1280")
    finally:
        ctx.close()
    assert os.path.exists(Path(__file__).parents[1] / "artifacts" / "meeting-1280.png")
