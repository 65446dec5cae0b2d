"""Meeting mode on a projector, in Chromium at 1280×720: the sidebar starts collapsed, and the
chart and the main controls are all inside the viewport without scrolling; the chart's caption
states the assumptions applied, donors are chosen by name (screenshots in tests/artifacts/)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import log_in_and_wait, open_page, settled, shot

WIDTH, HEIGHT = 1280, 720
CONTROLS = ("Count", "Chart", "Start from", "Probability cut-off %", "Donor out",
            "Donor delayed", "Currency", "Delay (years)", "Exchange-rate shock %")  # fmt: skip


def _inside(box: dict | None, what: str) -> None:
    assert box is not None, f"{what} is not drawn"
    assert box["x"] >= 0 and box["y"] >= 0, f"{what} starts outside the viewport: {box}"
    assert box["x"] + box["width"] <= WIDTH, f"{what} ends right of the viewport: {box}"
    assert box["y"] + box["height"] <= HEIGHT, f"{what} ends below the viewport: {box}"


def _in_view(page, controls: tuple[str, ...] = CONTROLS) -> None:  # noqa: ANN001
    assert page.evaluate("() => window.scrollY === 0 && document.querySelector("
                         "\"[data-testid='stMain']\").scrollTop === 0")  # fmt: skip
    _inside(page.locator("[data-testid='stMain'] .js-plotly-plot").first.bounding_box(), "chart")
    for label in controls:
        widget = page.locator("[data-testid='stMain'] [data-testid^='st']").filter(
            has=page.get_by_text(label, exact=True)).last  # fmt: skip
        _inside(widget.bounding_box(), label)
    for i in range(3):
        _inside(page.get_by_test_id("stMetricValue").nth(i).bounding_box(), f"figure {i + 1}")


def _caption(page) -> str:  # noqa: ANN001
    return page.locator("[data-testid='stMain'] .js-plotly-plot .gtitle").text_content() or ""


def test_meeting_mode_fits_a_projector(server, browser) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = ctx.new_page()
    try:
        log_in_and_wait(page, server.url, "demo.planner")
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
        open_page(page, "Meeting mode", "Meeting mode")
        expect(page.get_by_test_id("stMetricValue")).to_have_count(3, timeout=30000)
        page.locator("[data-testid='stMain'] .js-plotly-plot").first.wait_for(timeout=30000)
        settled(page)
        page.wait_for_timeout(800)  # the sidebar's collapse animation
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        _in_view(page)
        assert "baseline: no assumption changed" in _caption(page)
        value, label = page.evaluate("""() => {
            const box = document.querySelector("[data-testid='stMain'] .stSelectbox");
            const size = (e) => parseFloat(getComputedStyle(e).fontSize);
            return [size(box.querySelector("input")), size(box.querySelector("label p"))]; }""")
        assert value >= label  # a selected value as large as its label
        shot(page, "meeting-projector-1280x720")

        box = page.get_by_label("Donor out")
        box.click()
        page.get_by_role("option", name="Austria", exact=True).click()  # by name, not code
        settled(page)
        expect(page.locator("[data-testid='stMain'] .js-plotly-plot .gtitle").filter(
            has_text="Austria out")).to_have_count(1, timeout=15000)  # fmt: skip
        page.get_by_role("slider", name="Probability cut-off %").focus()
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        settled(page)
        expect(page.locator("[data-testid='stMain'] .js-plotly-plot .gtitle").filter(
            has_text="cut-off 50%")).to_have_count(1, timeout=15000)  # fmt: skip
        page.wait_for_timeout(500)
        _in_view(page)
        shot(page, "meeting-projector-austria-out-1280x720")

        for chart in ("Planned costs to gap", "Monte Carlo", "By donor"):
            page.get_by_test_id("stRadio").filter(has_text="Chart").get_by_text(
                chart, exact=True).click()  # fmt: skip
            settled(page)
            page.wait_for_timeout(800)
            _in_view(page, CONTROLS + (("Year",) if chart == "Planned costs to gap" else ()))
            shot(page, f"meeting-projector-{chart.lower().replace(' ', '-')}-1280x720")
    finally:
        ctx.close()


def test_observer_meeting_mode_fits_too(server, browser) -> None:  # noqa: ANN001
    """An observer's figures carry the note of what is withheld: under the chart, so the
    chart stays in view."""
    ctx = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = ctx.new_page()
    try:
        log_in_and_wait(page, server.url, "demo.observer")
        open_page(page, "Meeting mode", "Meeting mode")
        page.locator("[data-testid='stMain'] .js-plotly-plot").first.wait_for(timeout=30000)
        settled(page)
        page.wait_for_timeout(800)
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
        for chart in ("Coverage by year", "By donor"):
            page.get_by_test_id("stRadio").filter(has_text="Chart").get_by_text(
                chart, exact=True).click()  # fmt: skip
            settled(page)
            page.wait_for_timeout(800)
            _in_view(page, ("Count", "Chart", "Start from"))
        assert "Italy" not in page.locator("[data-testid='stMain']").inner_text()
        shot(page, "meeting-projector-observer-by-donor-1280x720")
    finally:
        ctx.close()


def test_other_pages_keep_the_sidebar(server, browser) -> None:  # noqa: ANN001
    """Leaving meeting mode, the next page opens with its sidebar as before."""
    ctx = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = ctx.new_page()
    try:
        log_in_and_wait(page, server.url, "demo.planner")
        open_page(page, "Meeting mode", "Meeting mode")
        settled(page)
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
        page.goto(f"{server.url}/scenarios")
        settled(page)
        expect(page.get_by_role("heading", name="Funding scenarios")).to_have_count(1)
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
    finally:
        ctx.close()
