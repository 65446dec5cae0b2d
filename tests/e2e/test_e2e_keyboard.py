"""The keyboard alone: log in, open the workplan, edit a cell of the grid and save it (no mouse
call), each step within a few tab stops; and the focus is visible (README, Accessibility)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import settled, shot, wait_logged_in

TAB_BUDGET = 30  # tab stops to reach the next main action, at most
TITLE = "Edited with the keyboard alone"

_ACTIVE = """(selector) => { const e = document.activeElement;
    return e !== null && e.matches(selector); }"""
# The workplan's grid (the page's first) has the focus: its canvas, or the cell of its
# accessibility table that glide-data-grid focuses for the cell the keyboard selects.
_IN_GRID = """() => { const e = document.activeElement;
    const grid = document.querySelector("[data-testid='stMain'] [data-testid='stDataFrame']");
    return grid !== null && grid.contains(e) && e.matches("canvas, td[role='gridcell']"); }"""
_SAVE = """() => { const e = document.activeElement;
    return e.matches("button[data-testid='stBaseButton-primary']")
        && e.innerText.trim().endsWith("Save"); }"""
_TITLE_CELL = """() => [document.getElementById("glide-cell-1-0")?.innerText,
    document.activeElement?.outerHTML.slice(0, 120)]"""  # the first row's Title, the focus
_OUTLINE = """() => { const s = getComputedStyle(document.activeElement);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"""
_DESCRIBE = """() => { const e = document.activeElement;
    return e ? `${e.tagName} ${e.getAttribute('data-testid') || ''} ${e.getAttribute('aria-label')
        || ''} ${(e.innerText || '').slice(0, 30)}`.trim() : 'none'; }"""


def tab_to(page, check: str, arg: str | None = None, budget: int = TAB_BUDGET,  # noqa: ANN001
           key: str = "Tab") -> int:
    """Press Tab (or `key`, e.g. Shift+Tab) until the JavaScript `check` (called with `arg`)
    holds for the focused element; the number of presses. Fails past `budget`, naming the
    elements passed."""
    passed = []
    for presses in range(1, budget + 1):
        page.keyboard.press(key)
        if page.evaluate(check, arg):
            return presses
        passed.append(page.evaluate(_DESCRIBE))
    raise AssertionError(f"not reached within {budget} tab stops; passed: {passed}")


def _edit_selected_cell(page, text: str) -> bool:  # noqa: ANN001
    """Open the selected cell's editor with Enter, replace its text by `text` and keep it with
    Enter; whether the page then counts one unsaved change."""
    editor = page.locator("textarea").first
    page.keyboard.press("Enter")  # opens the cell's editor
    expect(editor).to_be_focused(timeout=10000)  # the editor takes the focus once drawn
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)
    expect(editor).to_have_value(text)
    page.keyboard.press("Enter")  # keeps the edit; the selection moves a row down
    settled(page)
    try:
        expect(page.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible(
            timeout=15000)  # fmt: skip
    except AssertionError:
        return False
    return True


def _select_first_title(page) -> None:  # noqa: ANN001
    """Move the grid's selection to the first row's Title cell with the arrow keys (glide-data-
    grid names a cell `glide-cell-<column>-<row>`, from 0: the first Title is 1-0)."""
    cell = page.locator("[data-testid='stDataFrame'] td[role='gridcell']:focus")
    seen: list[str] = []
    for _ in range(10):
        col, row = (int(n) for n in cell.get_attribute("id", timeout=10000).split("-")[-2:])
        if (col, row) == (1, 0):
            return
        page.keyboard.press("ArrowUp" if row > 0 else "ArrowLeft" if col > 1 else "ArrowRight")
        page.wait_for_timeout(200)  # the grid moves its focused cell
        seen.append(f"{col}-{row}")
    raise AssertionError(f"the keyboard did not reach the first row's Title cell: {seen}")


def _luminance(rgb: tuple[int, ...]) -> float:
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
           for c in (v / 255 for v in rgb)]  # fmt: skip
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """WCAG contrast ratio of two sRGB colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def assert_focus_visible(page, background: str) -> None:  # noqa: ANN001
    """The focused element has a solid outline of 2 px or more, of 3:1 or more against
    `background` (#rrggbb, what the outline is drawn on)."""
    style, width, colour = page.evaluate(_OUTLINE)
    rgb = tuple(int(n) for n in re.findall(r"\d+", colour)[:3])
    back = tuple(int(background[i:i + 2], 16) for i in (1, 3, 5))
    assert style == "solid" and float(width.removesuffix("px")) >= 2, (style, width)
    assert contrast(rgb, back) >= 3, (colour, background)


def _stored_titles(server) -> list[str]:  # noqa: ANN001
    """The titles of the workplan the page opens on for a planner (the 2027 draft), as stored."""
    from rpsee.store.uow import UnitOfWork
    from rpsee.ui.version_label import default_version

    with UnitOfWork(url=f"sqlite:///{server.state}/rpsee.sqlite") as uow:
        plans = uow.workplans.list()
        # a planner's page opens on the plan in preparation (the demo's 2027 draft)
        opened = default_version(plans, uow.reference.load().figures.cycle_years,
                                 preparing=True)  # fmt: skip
        return [a.title for a in uow.workplans.activities(opened.id)]


def test_log_in_edit_a_cell_and_save_with_the_keyboard_alone(server, context) -> None:  # noqa: ANN001
    page = context.new_page()
    page.goto(server.url)
    settled(page)
    stops = {"username": tab_to(page, _ACTIVE, "input[aria-label='Username']")}
    page.keyboard.type("demo.planner")
    stops["password"] = tab_to(page, _ACTIVE, "input[aria-label='Password']", budget=3)
    page.keyboard.type("rpsee-demo-2026")
    page.keyboard.press("Enter")  # sends the login form
    wait_logged_in(page)

    # The focus is where the form was, in the page: back up to the navigation.
    stops["page"] = tab_to(page, _ACTIVE, "[data-testid='stSidebarNavLink'][href$='/workplan']",
                           key="Shift+Tab")
    assert_focus_visible(page, background="#f2f4f7")  # the sidebar's
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Annual workplans")).to_be_visible(timeout=30000)
    settled(page)
    grid = page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").first
    expect(grid).to_be_visible(timeout=30000)
    page.wait_for_timeout(1000)  # the grid drawn

    # Into the grid: its first cell is selected; the Title cell is one to the right.
    stops["grid"] = tab_to(page, _IN_GRID)
    cell = page.locator("[data-testid='stDataFrame'] td[role='gridcell']:focus")
    expect(cell).to_have_attribute("aria-colindex", "1", timeout=10000)  # Code, first row
    page.keyboard.press("ArrowRight")
    expect(cell).to_have_attribute("aria-colindex", "2")  # Title
    expect(cell).to_have_attribute("id", "glide-cell-1-0")  # column 1, row 0: the first Title
    for _attempt in range(3):
        if _edit_selected_cell(page, TITLE):
            break
        # Seen now and then in a loaded run: the edit was not kept (the cell shows its stored
        # title; cause not pinned down). Back to the first row's Title by the keyboard, again.
        settled(page)
        _select_first_title(page)
    else:
        raise AssertionError(page.evaluate(_TITLE_CELL))

    page.keyboard.press("Escape")  # no cell selected: Tab leaves the grid
    stops["save"] = tab_to(page, _SAVE)
    assert_focus_visible(page, background="#ffffff")
    page.keyboard.press("Enter")
    settled(page)
    expect(page.get_by_text("Saved: 1 changed, 0 added, 0 removed.", exact=True)).to_be_visible(
        timeout=15000)  # fmt: skip
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot(page, "keyboard-saved")
    assert TITLE in _stored_titles(server)
