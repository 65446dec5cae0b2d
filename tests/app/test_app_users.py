"""Users page: a new user is confirmed by name and role, and the form is cleared."""

from __future__ import annotations

from rpsee.store.uow import UnitOfWork

PASSWORD = "Skopje-2026!"


def _form(at) -> dict:
    """The "Add a user" form's text fields by label."""
    return {t.label: t for t in at.text_input if (t.key or "").startswith("add_")}


def _users_page(app_for):
    at = app_for("admin").run()
    at.switch_page("pages/users.py").run()
    assert not at.exception
    return at


def test_a_new_user_is_confirmed_and_the_form_cleared(app_for, app_db) -> None:
    at = _users_page(app_for)
    fields = _form(at)
    fields["Username"].input("b.officer")
    fields["Full name"].input("Bea Officer")
    fields["E-mail (optional)"].input("bea@example.org")
    fields["Initial password"].input(PASSWORD)
    at.selectbox(key="add_role").select("finance")
    at.button(key="FormSubmitter:add_user-Add user").click().run()
    assert not at.exception
    [done] = [s.value for s in at.success]
    assert "b\\.officer" in done and "Finance" in done and "Bea Officer" in done
    assert PASSWORD not in done
    assert {label: t.value for label, t in _form(at).items()} == {
        "Username": "",
        "Full name": "",
        "E-mail (optional)": "",
        "Initial password": "",
    }
    with UnitOfWork(url=app_db) as uow:
        row = uow.users.get("b.officer")
    assert row is not None and row.role == "finance"
    at.run()  # the confirmation is said once, not on every later run
    assert not at.success


def test_a_refused_user_keeps_the_fields_but_not_the_password(app_for, app_db) -> None:
    at = _users_page(app_for)
    fields = _form(at)
    fields["Username"].input("c.officer")
    fields["Full name"].input("Cy Officer")
    fields["Initial password"].input("short")
    at.button(key="FormSubmitter:add_user-Add user").click().run()
    assert not at.exception
    assert any("Password" in e.value for e in at.error)
    assert not at.success
    values = {label: t.value for label, t in _form(at).items()}
    assert values["Username"] == "c.officer" and values["Full name"] == "Cy Officer"
    assert values["Initial password"] == ""
    assert all("short" not in e.value for e in at.error)
    with UnitOfWork(url=app_db) as uow:
        assert uow.users.get("c.officer") is None


def test_a_new_member_gets_jurisdictions_and_they_can_be_changed(app_for, app_db) -> None:
    at = _users_page(app_for)
    fields = _form(at)
    fields["Username"].input("m.member")
    fields["Full name"].input("Mia Member")
    fields["Initial password"].input(PASSWORD)
    at.selectbox(key="add_role").select("psc_member")
    at.button(key="FormSubmitter:add_user-Add user").click().run()
    assert not at.exception
    assert "represents at least one" in at.error[0].value  # none chosen: refused, named
    fields = _form(at)
    fields["Initial password"].input(PASSWORD)
    at.multiselect(key="add_jurisdictions").select("MNE").select("SRB")
    at.button(key="FormSubmitter:add_user-Add user").click().run()
    assert not at.exception and at.success
    with UnitOfWork(url=app_db) as uow:
        assert uow.users.get("m.member").jurisdictions == "MNE;SRB"
    at.selectbox(key="users_target").select("m.member").run()
    at.multiselect(key="users_jur_m.member").unselect("SRB").run()
    next(b for b in at.button if b.label == "Save jurisdictions").click().run()
    assert not at.exception
    with UnitOfWork(url=app_db) as uow:
        assert uow.users.get("m.member").jurisdictions == "MNE"
