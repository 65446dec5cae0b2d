"""Single sign-on in the pages (AppTest fakes `st.user`; the browser test uses a real identity
provider): awaiting approval, then signed in; time-outs, deactivation and role changes apply at
the next run, and the ended session's token is not accepted again. Logout is tested in the
browser (tests/e2e/test_e2e_sso.py)."""

from __future__ import annotations

import time
from datetime import timedelta

from streamlit.testing.v1 import AppTest

from rpsee.domain.roles import SYSTEM
from rpsee.services import accounts, sso
from rpsee.store.audit import utcnow
from rpsee.store.uow import UnitOfWork
from tests.app.conftest import APP, TIMEOUT, log_in

ISSUER = "https://login.microsoftonline.com/tenant/v2.0"
AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
                 "cookie_secret": "s" * 48, "client_id": "rpsee-planner", "client_secret": "x",
                 "server_metadata_url": f"{ISSUER}/.well-known/x"}}  # fmt: skip


def _app(sub: str, name: str = "Nora Newcomer") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets = AUTH
    at.user = {"is_logged_in": True, "iss": ISSUER, "sub": sub, "aud": "rpsee-planner",
               "iat": int(time.time()) - 5, "name": name, "email": f"{sub}@unodc.example",
               "preferred_username": f"{sub}@unodc.example", "provider": "default"}  # fmt: skip
    return at


def _text(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "info", "warning", "error")
                    for e in getattr(at, kind))  # fmt: skip


def _signed_in(at: AppTest) -> bool:
    """The app's session is open (the login page's buttons are not drawn)."""
    state = at.session_state  # AppTest's session state has no .get
    status = state["authentication_status"] if "authentication_status" in state else None  # noqa: SIM401
    login_page = any(b.key in ("rpsee_sso_login", "rpsee_sso_check") for b in at.button)
    return bool(status) and not login_page


def test_awaiting_approval_then_signed_in_with_the_role(app_db: str) -> None:
    at = _app("nora").run()
    assert not at.exception
    assert "awaits approval" in _text(at) and not _signed_in(at)
    at.button(key="rpsee_sso_check").click().run()
    assert "awaits approval" in _text(at)
    sso.approve(SYSTEM, "nora", "finance", url=app_db)
    at.button(key="rpsee_sso_check").click().run()
    assert not at.exception and _signed_in(at)
    at.switch_page("pages/audit.py").run()  # finance's page: the role approved
    assert not at.exception and not at.error and at.title[0].value == "Audit trail"


def test_idle_time_out_ends_the_session_and_its_token_is_not_taken_again(app_db: str) -> None:
    at = _app("ida", "Ida Idle")
    sso.sign_in(at.user, url=app_db)
    sso.approve(SYSTEM, "ida", "planner", url=app_db)
    at.run()
    assert _signed_in(at)
    with UnitOfWork(url=app_db) as uow:  # nothing in any browser for two hours
        uow.users.touch("ida", utcnow() - timedelta(hours=2))
        uow.commit()
    at.run()
    assert not at.exception and not _signed_in(at)
    assert "without activity" in _text(at)
    assert at.button(key="rpsee_sso_login").label == "Sign in with your organisation account"
    at.run()  # the same identity cookie: not a new session
    assert not _signed_in(at)


def test_deactivation_and_role_changes_apply_at_the_next_run(app_db: str) -> None:
    at = _app("dee", "Dee Active")
    sso.sign_in(at.user, url=app_db)
    sso.approve(SYSTEM, "dee", "planner", url=app_db)
    accounts.set_role(SYSTEM, "dee", "admin", url=app_db)
    at.run()
    assert _signed_in(at)
    at.switch_page("pages/users.py").run()
    assert not at.exception and at.title[0].value == "Users"
    accounts.set_role(SYSTEM, "dee", "planner", url=app_db)
    at.run()  # the next run: the page refuses the planner
    assert not at.title or at.title[0].value != "Users"
    assert any("does not give access" in e.value for e in at.error)
    accounts.set_active(SYSTEM, "dee", False, url=app_db)
    at.run()
    assert not _signed_in(at) and "Your session has ended" in _text(at)


def test_a_token_for_another_application_opens_no_session(app_db: str) -> None:
    at = _app("eve", "Eve Elsewhere")
    at.user["aud"] = "another-application"
    at.run()
    assert not at.exception and not _signed_in(at)
    assert "issued for another application" in _text(at)
    with UnitOfWork(url=app_db) as uow:
        assert uow.users.get("eve") is None


def test_the_absolute_time_out_counts_from_the_sign_in(app_db: str) -> None:
    at = _app("abe", "Abe Absolute")
    at.user["iat"] = int(time.time()) - 13 * 3600  # signed in at the provider 13 hours ago
    sso.sign_in(at.user, url=app_db)
    sso.approve(SYSTEM, "abe", "planner", url=app_db)
    at.run()
    assert not at.exception and not _signed_in(at)
    assert "sessions last at most 12 hours" in _text(at)
    at.user["iat"] = int(time.time())  # signed in anew: a fresh token
    at.run()
    assert _signed_in(at)


def test_the_redirects_notice_is_said_once_and_taken_out_of_the_address(app_db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets = AUTH
    at.query_params["sso"] = "refused"
    at.query_params["why"] = "expired"
    at.run()
    assert not at.exception
    assert "Single sign-on was refused: the answer has expired" in _text(at)
    assert "sso" not in at.query_params and "why" not in at.query_params
    at.run()  # the next run of the same session (a failed password login, say) still says it
    assert "the answer has expired" in _text(at)
    # signed in (here a local account): the notice is forgotten, so the login page after a
    # logout does not say it again
    log_in(at, "demo.planner").run()
    assert not at.exception and "rpsee_sso_notice" not in at.session_state
