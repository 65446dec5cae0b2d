"""Sharing a draft with Committee members for consultation, through AppTest: members' version
lists hold the shared draft only; the planner's switch says what it did."""

from __future__ import annotations

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import workplans
from rpsee.ui.consultation import SHARE_LABEL

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)


def _workplans(app_for, role: str):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page("pages/workplan.py").run()
    assert not at.exception, at.exception
    return at


def _options(at) -> list[str]:  # noqa: ANN001
    select = at.selectbox(key="wp_selected")
    return list(select.options)  # as shown (formatted)


def _plan(url: str, year: int):  # noqa: ANN202
    [plan] = [p for p in workplans.list_workplans(PLANNER, url=url) if p.year == year]
    return plan


def test_members_read_the_shared_draft_only_until_a_planner_shares_another(app_for, app_db) -> None:  # noqa: ANN001
    from rpsee.services import programme

    draft_2027 = _plan(app_db, 2027)  # the demo's draft in preparation, shared for consultation
    assert (draft_2027.status, draft_2027.shared) == ("draft", True)
    draft_2028 = workplans.start_draft(PLANNER, 2028, programme.reference(PLANNER, url=app_db),
                                       copy_from=draft_2027.id, url=app_db)  # not shared
    member = _workplans(app_for, "psc_member")
    assert sorted(o.split(",")[0] for o in _options(member)) == [
        "2026 workplan", "2027 workplan"]  # 2026: approved; 2028: a draft not shared
    member.selectbox(key="wp_selected").set_value(draft_2027.id).run()
    assert not member.exception, member.exception
    assert any("shared with Committee members for consultation" in c.value
               for c in member.caption)  # fmt: skip
    assert not [t for t in member.toggle if t.label == SHARE_LABEL]  # members cannot share

    at = _workplans(app_for, "planner")
    at.selectbox(key="wp_selected").set_value(draft_2028.id).run()
    [share] = [t for t in at.toggle if t.label == SHARE_LABEL]
    assert share.value is False
    share.set_value(True).run()
    assert not at.exception, at.exception
    assert any("2028 workplan, version 1 (draft) is now shared with Committee members" in s.value
               for s in at.success)  # fmt: skip

    member = _workplans(app_for, "psc_member")
    assert sorted(o.split(",")[0] for o in _options(member)) == [
        "2026 workplan", "2027 workplan", "2028 workplan"]
    observer = _workplans(app_for, "observer")
    assert [o.split(",")[0] for o in _options(observer)] == ["2026 workplan"]  # never a draft


def test_the_committee_page_says_a_shared_draft_is_not_before_the_committee(app_for, app_db
                                                                           ) -> None:  # noqa: ANN001
    at = app_for("psc_member").run()
    at.switch_page("pages/review.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="rv_selected").set_value(_plan(app_db, 2027).id).run()  # the shared draft
    assert not at.exception, at.exception
    status = next(m.value for m in at.markdown if m.value.startswith("Status:"))
    assert "shared with Committee members for consultation" in status
    assert any("Members record their positions once a version is submitted" in c.value
               for c in at.caption)  # fmt: skip
