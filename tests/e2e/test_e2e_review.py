"""A real browser walks the Steering Committee cycle: a planner submits the workplan in
preparation (the demo's 2027 draft; its 2026 is approved already), a member comments, the
planner records the approval (on its own server: the version ends up frozen), and finance
downloads the approval pack and the budget tables workbook of the version approved."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import log_in_and_wait, open_page, running_app, settled, shot
from tests.e2e.test_e2e_finance_exports import choose, download_workbook

COMMENT = 'Why two trainings in <b>Skopje</b> & "Tirana"?'
DRAFT_2027 = "2027 workplan, version 1, draft shared for consultation, in use"  # as listed
APPROVED_2027 = "2027 workplan, version 1, approved, in use"  # once approved here


def _page(context, url: str, user: str):  # noqa: ANN001, ANN202
    page = context.new_page()
    log_in_and_wait(page, url, user)
    open_page(page, "Steering Committee", "Steering Committee")
    return page


def _open_points(url: str) -> tuple[int, int]:
    """The 2027 draft's id and its number of open points, as the submit form counts them."""
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.services import workflow, workplans

    planner = CurrentUser("demo.planner", "Demo Planner", Role.PLANNER)
    (draft,) = [p for p in workplans.list_workplans(planner, url=url)
                if p.year == 2027 and p.status == "draft"]  # fmt: skip
    return draft.id, len(workflow.open_points(planner, draft.id, url=url))


def test_submit_comment_approve(browser) -> None:  # noqa: ANN001
    with running_app() as server:
        planner_ctx = browser.new_context(viewport={"width": 1400, "height": 2200})
        member_ctx = browser.new_context(viewport={"width": 1400, "height": 2200})
        planner = _page(planner_ctx, server.url, "demo.planner")
        # the page opens on the approved 2026: the planner picks the 2027 draft
        expect(planner.get_by_text("Status: approved")).to_be_visible(timeout=15000)
        choose(planner, "Workplan version", DRAFT_2027)
        expect(planner.get_by_text("Status: draft")).to_be_visible(timeout=15000)
        # the Checks' open points first, confirmed as read (as many as the service counts)
        draft_id, points = _open_points(f"sqlite:///{server.state}/rpsee.sqlite")
        assert points > 0  # the demo's draft has open points to confirm
        expect(planner.get_by_text(f"{points} open point(s) from the workplan's checks")
               ).to_be_visible(timeout=15000)  # fmt: skip
        planner.get_by_text(f"I have read the {points} open point(s) above").click()
        planner.get_by_role("button", name="Submit to the Steering Committee").click()
        settled(planner)
        expect(planner.get_by_text("was submitted")).to_be_visible(timeout=15000)

        member = _page(member_ctx, server.url, "demo.psc")
        expect(member.get_by_text("Status: submitted")).to_be_visible(timeout=15000)
        expect(member.get_by_role("button", name="Record the decision")).to_have_count(0)
        member.get_by_label("Comment", exact=True).fill(COMMENT)
        member.get_by_role("button", name="Add the comment").click()
        settled(member)
        expect(member.get_by_text("Comment added.")).to_be_visible(timeout=15000)
        # the box comes back empty once saved (the run redraws it after the message)
        expect(member.get_by_label("Comment", exact=True)).to_have_value("", timeout=30000)
        expect(member.get_by_text(COMMENT)).to_be_visible(timeout=30000)
        shot(member, "review-member")

        planner.reload()
        settled(planner)
        expect(planner.get_by_text(COMMENT).first).to_be_visible(timeout=30000)
        # the decision brief: the member's comment is an open thread, read before approving
        planner.get_by_text("I have read the decision brief").click()
        planner.get_by_role("button", name="Record the decision").click()
        settled(planner)
        expect(planner.get_by_text("Decision recorded: approved")).to_be_visible(timeout=15000)
        expect(planner.get_by_role("button", name="Start an amendment")).to_be_visible(
            timeout=30000)
        # frozen: comments closed, the comment kept with its author
        expect(planner.get_by_role("button", name="Add the comment")).to_have_count(
            0, timeout=30000)
        expect(planner.get_by_text(COMMENT)).to_be_visible(timeout=30000)
        expect(planner.get_by_test_id("stException")).to_have_count(0)
        shot(planner, "review-approved")
        planner_ctx.close()
        member_ctx.close()
        _finance_downloads_the_pack(browser, server.url)

        from rpsee.store.uow import UnitOfWork

        with UnitOfWork(url=f"sqlite:///{server.state}/rpsee.sqlite") as uow:
            plans = {p.year: p for p in uow.workplans.list()}
            moves = [e.action for e in uow.audit.recent(limit=50, entity="workplan")]
        plan = plans[2027]
        assert plan.id == draft_id and plan.status == "approved" and plan.in_use
        assert plans[2026].status == "approved"  # the demo's, untouched
        assert {"workplan_submit:update", "workplan_decision:update"} <= set(moves)


def _finance_downloads_the_pack(browser, url: str) -> None:  # noqa: ANN001
    """Finance builds the approval pack of the version just approved (the page opens on the
    2026 one, in use this year: finance picks 2027) and downloads it (progress shown): every
    page names the approved version, none is marked DRAFT; then the workbook of it."""
    from tests.unit.pack_fixtures import page_texts

    ctx = browser.new_context(viewport={"width": 1400, "height": 2200})
    finance = _page(ctx, url, "demo.finance")
    choose(finance, "Workplan version", APPROVED_2027)
    expect(finance.get_by_text("Status: approved")).to_be_visible(timeout=15000)
    finance.get_by_role("button", name="Build the approval pack").click()
    settled(finance)
    ready = finance.get_by_role("button", name="Download the approval pack (PDF)")
    expect(ready).to_be_visible(timeout=60000)
    expect(finance.get_by_text("Approval pack ready")).to_be_visible(timeout=15000)
    with finance.expect_download(timeout=60000) as got:
        ready.click()
    download = got.value
    assert download.suggested_filename.startswith("RPSEE_pack_2027_v1")
    pages = page_texts(download.path().read_bytes())
    assert len(pages) > 10 and all("approved" in p for p in pages)
    assert not any("DRAFT" in p for p in pages)
    book, cover, year, version = download_workbook(finance, APPROVED_2027)  # the workbook
    assert (year, version) == ("2027", "v1") and cover["Status"].startswith("approved")
    assert "Activities" in book.sheetnames
    ctx.close()
