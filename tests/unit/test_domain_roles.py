import pytest

from rpsee.domain.roles import CurrentUser, Permission, PermissionDenied, Role, require


def user(role: Role) -> CurrentUser:
    return CurrentUser("u", "U", role)


def test_who_may_do_what() -> None:
    assert user(Role.PLANNER).can(Permission.EDIT_PLANS)
    assert not user(Role.PSC_MEMBER).can(Permission.EDIT_PLANS)
    assert user(Role.PSC_MEMBER).can(Permission.COMMENT)
    assert user(Role.FINANCE).can(Permission.EDIT_COST_RATES)
    assert not user(Role.PLANNER).can(Permission.EDIT_COST_RATES)
    assert user(Role.ADMIN).can(Permission.MANAGE_USERS)
    assert not any(user(r).can(Permission.MANAGE_USERS) for r in Role if r != Role.ADMIN)
    assert all(user(r).can(Permission.VIEW_PROGRAMME) for r in Role)


def test_require_names_the_role() -> None:
    with pytest.raises(PermissionDenied, match="Steering Committee"):
        require(user(Role.PSC_MEMBER), Permission.EDIT_PLANS)
    with pytest.raises(PermissionDenied, match="logged in"):
        require(None, Permission.VIEW_PROGRAMME)
    assert require(user(Role.PLANNER), Permission.EDIT_PLANS).role is Role.PLANNER


def test_who_may_export_a_workplan_of_each_status() -> None:
    from rpsee.domain.roles import may_export_workplan, require_workplan_export

    for status in ("draft", "submitted", "approved"):
        assert may_export_workplan(user(Role.PLANNER), status)
        assert may_export_workplan(user(Role.FINANCE), status)
        assert not may_export_workplan(user(Role.ADMIN), status)
        assert not may_export_workplan(None, status)
    assert not may_export_workplan(user(Role.PSC_MEMBER), "draft")
    assert may_export_workplan(user(Role.PSC_MEMBER), "submitted")
    assert may_export_workplan(user(Role.PSC_MEMBER), "approved")
    with pytest.raises(PermissionDenied, match="may not export a draft workplan"):
        require_workplan_export(user(Role.PSC_MEMBER), "draft")
    with pytest.raises(PermissionDenied, match="logged in"):
        require_workplan_export(None, "approved")
