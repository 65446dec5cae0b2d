"""Every page, for every role, through the real entry point (AppTest)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import accounts
from rpsee.store.uow import UnitOfWork
from tests.app.conftest import DEMO, ROOT, TIMEOUT, log_in

ROLES = ["planner", "psc_member", "finance", "admin", "observer"]


def texts(at) -> str:
    parts = (
        [m.value for m in at.markdown]
        + [t.value for t in at.title]
        + [h.value for h in at.header]
        + [h.value for h in at.subheader]
        + [c.value for c in at.caption]
        + [e.value for e in at.error]
        + [w.value for w in at.warning]
        + [i.value for i in at.info]
    )
    return "\n".join(str(p) for p in parts)


def test_not_logged_in_sees_only_the_login_form_with_demo_logins(app_for) -> None:
    at = app_for(None).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    body = texts(at)
    assert "Demo data" in body and "demo.planner" in body and "rpsee-demo-2026" in body
    assert "Regional Programme for South-Eastern Europe 2024–2029" not in [
        t.value for t in at.title
    ]
    # No cookie component before login (the cookie is read from the request): no extra run when
    # it answers, no pandas/pyarrow loaded for it.
    assert not at.get("component_instance")


def test_wrong_password_is_refused_and_counted(app_for, app_db) -> None:
    at = app_for(None).run()
    at.text_input[0].input("demo.finance")
    at.text_input[1].input("not-the-password")
    at.button[0].click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [REFUSED]
    with UnitOfWork(url=app_db) as uow:
        assert uow.users.get("demo.finance").failed_logins == 1


REFUSED = (
    "Username or password is incorrect, or the account is locked: 5 failed attempts in a row "
    "lock an account for 15 minutes (an administrator can unlock it sooner)."
)


def test_an_unknown_name_gets_the_same_answer_after_the_same_check_and_is_audited(
    app_for, app_db
) -> None:
    from rpsee.services import audit_log  # noqa: F401  (the audit entries are read directly)
    from rpsee.store.models import AuditEntryRow

    at = app_for(None).run()
    at.text_input[0].input("no.such.person")
    at.text_input[1].input("not-the-password")
    at.button[0].click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [REFUSED]
    with UnitOfWork(url=app_db) as uow:
        entries = uow.session.query(AuditEntryRow).filter(
            AuditEntryRow.action == "login_failed_unknown_user").all()  # fmt: skip
        assert [e.entity_id for e in entries] == ["no.such.person"]


def test_login_through_the_form(app_for) -> None:
    at = app_for(None).run()
    at.text_input[0].input("demo.psc")
    at.text_input[1].input("rpsee-demo-2026")
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["authentication_status"] is True
    assert at.title[0].value == "Regional Programme for South-Eastern Europe 2024–2029"
    assert len(at.get("component_instance")) == 1  # the one that sets the login cookie


def test_five_wrong_passwords_lock_the_account(app_for) -> None:
    at = app_for(None).run()
    for _ in range(5):
        at.text_input[0].input("demo.planner")
        at.text_input[1].input("guess-guess-1")
        at.button[0].click().run()
    assert [e.value for e in at.error] == [REFUSED]  # nothing says this account exists
    at.text_input[0].input("demo.planner")
    at.text_input[1].input("rpsee-demo-2026")  # right password, but locked
    at.button[0].click().run()
    assert not at.session_state["authentication_status"]
    assert [e.value for e in at.error] == [REFUSED]


@pytest.mark.parametrize("role", ROLES)
def test_overview_for_every_role(app_for, role: str) -> None:
    at = app_for(role).run()
    assert not at.exception
    assert at.title[0].value == "Regional Programme for South-Eastern Europe 2024–2029"
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["Annual envelope", "Cycle envelope (document)"]
    assert at.metric[0].value == "USD 11M"
    assert at.metric[3].value == "USD 11.58M"
    assert len(at.tabs) == 5
    body = texts(at).replace("\\", "")  # markdown escapes removed
    assert "**2.6**" in body and "Kosovo*" in body and "resolution 1244 (1999)" in body
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    series = {t["name"]: t for t in figure["data"]}
    pipeline = series["Hard pipeline (mid-2024)"]
    assert dict(zip(pipeline["x"], pipeline["y"], strict=True))["2024"] == pytest.approx(8.1)
    delivery = series["Delivery (previous cycle)"]
    assert dict(zip(delivery["x"], delivery["y"], strict=True))["2023"] == pytest.approx(7.3)
    staffing = at.dataframe[1].value
    assert list(staffing["Grade"])[-1] == "Total"
    assert int(staffing["Positions"].iloc[-1]) == 20
    assert int(staffing["New"].iloc[-1]) == 7


def page(name: str, role: str | None):
    """A page script run on its own, bypassing the navigation: only its own check protects it."""
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=TIMEOUT)
    return log_in(at, DEMO[role]) if role else at


@pytest.mark.parametrize("role", ["planner", "psc_member", "finance"])
def test_users_page_refuses_non_admins_even_when_run_directly(app_db, role: str) -> None:
    at = page("users.py", role).run()
    assert not at.exception
    assert any("does not give access" in e.value for e in at.error)
    assert not at.dataframe  # no user list leaked


@pytest.mark.parametrize("name", ["overview.py", "users.py", "audit.py", "account.py"])
def test_every_page_refuses_a_visitor_who_is_not_logged_in(app_db, name: str) -> None:
    at = page(name, None).run()
    assert not at.exception
    assert any("Please log in" in w.value for w in at.warning)
    assert not at.dataframe and not at.metric


def test_hidden_pages_are_not_registered_for_other_roles(app_for) -> None:
    at = app_for("psc_member").run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/users.py")


def test_audit_page_for_finance_and_admin_only(app_for, app_db) -> None:
    at = app_for("finance").run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception and at.title[0].value == "Audit trail"
    assert len(at.dataframe[0].value) > 0
    at = page("audit.py", "psc_member").run()
    assert any("does not give access" in e.value for e in at.error)


def test_admin_adds_a_user_on_the_users_page(app_for, app_db) -> None:
    at = app_for("admin").run()
    at.switch_page("pages/users.py").run()
    assert not at.exception
    fields = {t.label: t for t in at.text_input}
    fields["Username"].input("a.officer")
    fields["Full name"].input("A. Officer <script>")
    fields["Initial password"].input("Skopje-2026!")
    at.button[0].click().run()
    assert not at.exception
    with UnitOfWork(url=app_db) as uow:
        row = uow.users.get("a.officer")
        assert row is not None and row.name == "A. Officer <script>" and row.role == "planner"


def test_navigation_lists_only_the_roles_pages(app_for) -> None:
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.ui.nav import PAGES

    for role in Role:
        user = CurrentUser("x", "X", role)
        visible = {p.path for p in PAGES if user.can(p.permission)}
        assert ("pages/users.py" in visible) == (role is Role.ADMIN)
        assert "pages/overview.py" in visible


def ended(at) -> bool:
    """The run refused the session: the login form (entry point) or the page's own guard."""
    login_form = [t.label for t in at.text_input] == ["Username", "Password"]
    guard = any("Please log in" in w.value for w in at.warning)
    return (login_form or guard) and not at.metric and not at.dataframe


def test_a_deactivated_users_open_session_ends_on_next_run(app_for, app_db) -> None:
    # Note: AppTest re-runs a page of a `pages/` folder without the entry point, so the page's
    # own guard is what ends the session here; the browser test checks the real server.
    at = app_for("planner").run()
    assert at.title[0].value.startswith("Regional Programme")
    from rpsee.domain.roles import CurrentUser, Role

    accounts.set_active(
        CurrentUser("demo.admin", "A", Role.ADMIN), "demo.planner", False, url=app_db
    )
    at.run()
    assert not at.exception
    assert ended(at)


def test_logging_out_ends_the_users_other_sessions(app_for, app_db) -> None:
    first = app_for("finance").run()
    second = app_for("finance").run()  # the same user in another browser
    assert any(b.label == "Log out" for b in first.sidebar.button)
    finance = CurrentUser("demo.finance", "F", Role.FINANCE)
    accounts.end_sessions(finance, url=app_db)  # what the Log out button calls
    first.run()
    second.run()
    assert ended(first) and ended(second)
    fresh = app_for("finance").run()  # a login after the logout is a new, valid session
    assert fresh.title[0].value.startswith("Regional Programme")


def test_change_password_page(app_for, app_db) -> None:
    at = app_for("psc_member").run()
    at.switch_page("pages/account.py").run()
    assert not at.exception
    fields = {t.label: t for t in at.text_input}
    fields["Current password"].input("rpsee-demo-2026")
    fields["New password"].input("Belgrade-2027")
    fields["Repeat the new password"].input("Belgrade-2027")
    at.button[0].click().run()
    assert not at.exception
    assert ended(at)  # sessions ended, this one included
    with UnitOfWork(url=app_db) as uow:
        from rpsee.services.passwords import verify_password

        assert verify_password("Belgrade-2027", uow.users.get("demo.psc").password_hash)


def test_change_password_mismatch_is_named(app_for) -> None:
    at = app_for("psc_member").run()
    at.switch_page("pages/account.py").run()
    fields = {t.label: t for t in at.text_input}
    fields["Current password"].input("rpsee-demo-2026")
    fields["New password"].input("Belgrade-2027")
    fields["Repeat the new password"].input("Belgrade-2028")
    at.button[0].click().run()
    assert any("Repeat the new password" in e.value for e in at.error)


def test_user_text_is_escaped_in_markdown(app_for, app_db) -> None:  # noqa: ANN001
    from rpsee.domain.roles import CurrentUser, Role

    admin = CurrentUser("demo.admin", "A", Role.ADMIN)
    accounts.add_user(admin, "x.user", "**Bold** [link](javascript:alert(1)) <b> "
                      "https://evil.example", "planner", "Podgorica-2026", url=app_db)  # fmt: skip
    at = app_for(None)
    log_in(at, "x.user").run()
    shown = [m.value for m in at.sidebar.markdown]
    j = "\u2060"  # a word joiner after a URL scheme: never linked, shown as typed
    assert any(f"\\*\\*Bold\\*\\* \\[link\\]\\(javascript{j}\\:alert\\(1\\)\\) \\<b\\> "
               f"https{j}\\://evil\\.example" in s for s in shown), shown  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_navigation_runs_for_every_role(app_for, role: str) -> None:  # noqa: ANN001
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.ui.nav import PAGES

    user = CurrentUser("x", "X", Role(role))
    at = app_for(role).run()
    for spec in PAGES:
        if not user.can(spec.permission):
            continue
        at.switch_page(spec.path).run()
        assert not at.exception, (spec.path, at.exception)
        assert at.title, spec.path
        assert not any("does not give access" in e.value for e in at.error), spec.path


def test_overview_shows_the_envelopes_planners_set(app_for, app_db) -> None:  # noqa: ANN001
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.services import planning
    from rpsee.store.uow import UnitOfWork

    with UnitOfWork(url=app_db) as uow:
        ref = uow.reference.load()
    planner = CurrentUser("demo.planner", "P", Role.PLANNER)
    planning.save_envelope(planner, {2028: "9500000"}, "gross", "13", ref, url=app_db)
    at = app_for("psc_member").run()
    years = next(d.value for d in at.dataframe if "Envelope" in d.value.columns)
    assert years.loc[years["Year"] == "2028", "Envelope"].iloc[0] == 9_500_000.00
