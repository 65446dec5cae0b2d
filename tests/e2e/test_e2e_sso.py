"""Single sign-on end to end: the app as users start it (`python -m rpsee serve`, `[auth]` in a
secrets file named by `STREAMLIT_SECRETS_FILES`) against a real, OpenID Certified provider
(panva's oidc-provider, run with Node from tests/e2e/oidc: `npm ci` there), in Chromium.

Scenarios: first sign-in awaiting an administrator's approval, then signed in with the role
given; the role from the `roles` claim; a tampered, an expired and a wrong-audience ID token
refused with a clear message and no session; a deactivated account refused; logout.
Without Node or the npm package these tests skip, or fail when RPSEE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import missing
from tests.e2e.conftest import (
    _free_port,
    log_in_and_wait,
    open_page,
    running_app,
    settled,
    stop,
)

OIDC = Path(__file__).resolve().parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "rpsee-planner", "test-only-client-secret-0123456789"
SSO_BUTTON = "Sign in with your organisation account"
ACCOUNTS = {
    "jane": {"claims": {"name": "Jane Newcomer", "email": "jane@unodc.example",
                        "preferred_username": "jane@unodc.example"}},
    "fin": {"claims": {"name": "Fiona Finance", "email": "fin@unodc.example",
                       "preferred_username": "fin@unodc.example", "roles": ["RPSEE.Finance"]}},
    "gone": {"claims": {"name": "Gone Away", "preferred_username": "gone@unodc.example",
                        "roles": ["RPSEE.Planner"]}},
    "tamper": {"claims": {"name": "Tampered Token"}, "token": "tampered"},
    "late": {"claims": {"name": "Expired Token"}, "token": "expired"},
    "other": {"claims": {"name": "Other Audience"}, "token": "wrong_audience"},
    "azp": {"claims": {"name": "Other Audience Azp"}, "token": "wrong_audience_with_azp"},
}  # fmt: skip


def _start_provider(folder: Path, port: int, app_port: int) -> subprocess.Popen:
    node = shutil.which("node")
    if node is None:
        missing("Node.js is not installed (needed for the test OpenID provider)",
                "RPSEE_REQUIRE_BROWSER")  # fmt: skip
    if not (OIDC / "node_modules" / "oidc-provider").is_dir():
        missing(f"The npm package oidc-provider is not installed: run `npm ci` in {OIDC}",
                "RPSEE_REQUIRE_BROWSER")  # fmt: skip
    settings = folder / "provider.json"
    settings.write_text(json.dumps({
        "port": port,
        "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                     "redirect_uris": [f"http://localhost:{app_port}/oauth2callback"]}],
        "accounts": ACCOUNTS,
    }))  # fmt: skip
    log = open(folder / "provider.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([node, str(OIDC / "provider.mjs"), str(settings)], cwd=OIDC,
                            stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if "listening" in (folder / "provider.log").read_text():
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"The OpenID provider did not start: {(folder / 'provider.log').read_text()}")


@pytest.fixture(scope="module")
def sso_app() -> Iterator[SimpleNamespace]:
    """The OpenID provider and the app configured for it (demo mode: the demo administrator
    approves; `roles` claim values RPSEE.Finance / RPSEE.Planner name roles)."""
    folder = Path(tempfile.mkdtemp(prefix="rpsee-sso-"))
    idp_port, app_port = _free_port(), _free_port()
    provider = _start_provider(folder, idp_port, app_port)
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(48)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "http://localhost:{idp_port}/.well-known/openid-configuration"\n'
        # oidc-provider knows the prompts login, consent and none (Entra ID: select_account)
        'client_kwargs = { prompt = "login" }\n'
    )
    env = {"STREAMLIT_SECRETS_FILES": str(secrets_file), "RPSEE_SSO_ROLE_CLAIM": "roles",
           "RPSEE_SSO_ROLE_MAP": "RPSEE.Finance=finance,RPSEE.Planner=planner"}  # fmt: skip
    try:
        with running_app(env, port=app_port, host="localhost") as server:
            yield SimpleNamespace(url=server.url, state=server.state, issuer=f"http://localhost:{idp_port}",
                                  folder=folder)  # fmt: skip
    finally:
        stop(provider)
        shutil.rmtree(folder, ignore_errors=True)


def _db(app: SimpleNamespace) -> str:
    return f"sqlite:///{Path(app.state) / 'rpsee.sqlite'}"


def _sign_in(page, app: SimpleNamespace, login: str) -> None:  # noqa: ANN001
    """At the app's login page: the SSO button, then the provider's login form."""
    page.goto(app.url)
    settled(page)
    page.get_by_role("button", name=SSO_BUTTON).click()
    page.wait_for_url(f"{app.issuer}/**", timeout=30000)
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: a development login")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{app.url}/**", timeout=30000)
    settled(page)


def _identity_cookie(page) -> bool:  # noqa: ANN001
    return any(c["name"].startswith("_streamlit_user") for c in page.context.cookies())


def _audit(app: SimpleNamespace, entity_id: str) -> list:
    from rpsee.store.uow import UnitOfWork

    with UnitOfWork(url=_db(app)) as uow:
        return list(reversed(uow.audit.recent(entity="app_user", entity_id=entity_id)))


def test_first_sign_in_waits_for_approval_then_signs_in_and_logs_out(sso_app, browser) -> None:
    from playwright.sync_api import expect

    person = browser.new_context(viewport={"width": 1400, "height": 1400})
    admin = browser.new_context(viewport={"width": 1400, "height": 1400})
    try:
        page = person.new_page()
        _sign_in(page, sso_app, "jane")
        expect(page.get_by_text("your account awaits approval")).to_be_visible(timeout=15000)
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
        page.get_by_role("button", name="Check again").click()
        settled(page)
        expect(page.get_by_text("your account awaits approval")).to_be_visible()
        # the demo administrator approves on the Users page
        boss = admin.new_page()
        log_in_and_wait(boss, sso_app.url, "demo.admin")
        open_page(boss, "Users", "Users")
        boss.get_by_role("tab", name="Approve sign-ins (1)").click()
        boss.get_by_role("button", name="Approve").click()
        settled(boss)
        expect(boss.get_by_text("Approved Jane Newcomer")).to_be_visible(timeout=15000)
        # the person's next page run: signed in, with the role given
        page.get_by_role("button", name="Check again").click()
        settled(page)
        expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=15000)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text("Jane Newcomer")).to_be_visible()
        expect(sidebar.get_by_text("Planner (Regional Representative")).to_be_visible()
        actions = [e.action for e in _audit(sso_app, "jane")]
        assert actions[:2] == ["sso_account_created:insert", "sso_login_pending"]
        assert "user_approve:update" in actions and actions[-1] == "sso_login"
        # logout: the app's session ends (identity cookie gone), the provider's remains
        assert _identity_cookie(page)
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/?sso=signed-out", timeout=30000)
        settled(page)
        expect(page.get_by_text("You are signed out of RPSEE Planner")).to_be_visible()
        expect(page.get_by_text("still signed in at your organisation's identity provider")
               ).to_be_visible()  # fmt: skip
        # said once: the address loses it, so a reload or a bookmark does not say it again
        page.wait_for_url(lambda url: "sso=" not in url, timeout=15000)
        page.reload()
        settled(page)
        expect(page.get_by_role("button", name=SSO_BUTTON)).to_be_visible()
        expect(page.get_by_text("You are signed out of RPSEE Planner")).to_have_count(0)
        assert not _identity_cookie(page)
        page.goto(sso_app.url)
        settled(page)
        expect(page.get_by_role("button", name=SSO_BUTTON)).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
        assert "sessions_ended:update" in [e.action for e in _audit(sso_app, "jane")]
    finally:
        person.close()
        admin.close()


def test_the_roles_claim_names_the_role(sso_app, context) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    _sign_in(page, sso_app, "fin")
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=15000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Fiona Finance")).to_be_visible()
    links = page.get_by_test_id("stSidebarNavLink")
    expect(links.filter(has_text="Audit trail")).to_have_count(1)  # finance's page
    expect(links.filter(has_text="Users")).to_have_count(0)
    actions = [e.action for e in _audit(sso_app, "fin")]
    assert "user_role_from_claim:update" in actions and actions[-1] == "sso_login"


@pytest.mark.parametrize(
    ("login", "why", "text"),
    [
        ("tamper", "signature", "signature does not match"),
        ("late", "expired", "the answer has expired"),
        ("other", "audience", "issued for another application"),
    ],
)
def test_a_bad_id_token_is_refused_without_a_session(sso_app, context, login, why, text) -> None:
    from playwright.sync_api import expect

    before = len(_audit(sso_app, "(single sign-on)"))
    page = context.new_page()
    _sign_in(page, sso_app, login)
    # the routes' redirect (`?sso=refused&why=...`) says why; the page then takes it out of the
    # address, so a reload does not say it again
    expect(page.get_by_text(f"Single sign-on was refused: {REFUSAL[why]}")).to_be_visible()
    page.wait_for_url(lambda url: "sso=" not in url and "why=" not in url, timeout=15000)
    assert text in REFUSAL[why]
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    assert not _identity_cookie(page)
    entries = _audit(sso_app, "(single sign-on)")
    assert len(entries) == before + 1
    assert entries[-1].action == "sso_login_refused" and entries[-1].new_values["reason"] == why
    from rpsee.store.uow import UnitOfWork

    with UnitOfWork(url=_db(sso_app)) as uow:  # no account was created (the tampered token
        # claims the subject "tamper-admin")
        assert not [u for u in uow.users.list() if (u.sso_subject or "").startswith(login)]


def test_an_id_token_for_another_audience_is_refused_by_the_app(sso_app, context) -> None:
    """`aud` another client, `azp` this app: Authlib (inside Streamlit) accepts it, the app
    checks `aud` itself and opens no session."""
    from playwright.sync_api import expect

    page = context.new_page()
    _sign_in(page, sso_app, "azp")
    expect(page.get_by_text("Single sign-on was refused: The sign-in was issued for another "
                            "application.")).to_be_visible(timeout=15000)  # fmt: skip
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    entry = _audit(sso_app, "(single sign-on)")[-1]
    assert entry.new_values["reason"] == "audience" and "another-application" in entry.new_values[
        "detail"]
    from rpsee.store.uow import UnitOfWork

    with UnitOfWork(url=_db(sso_app)) as uow:
        assert not [u for u in uow.users.list() if u.sso_subject == "azp"]


def test_a_deactivated_account_is_refused(sso_app, context) -> None:
    from playwright.sync_api import expect

    from rpsee.domain.roles import SYSTEM
    from rpsee.domain.sso import parse_role_claim
    from rpsee.services import accounts, sso

    claims = {"iss": sso_app.issuer, "sub": "gone", "iat": int(time.time()) - 60,
              "name": "Gone Away", "preferred_username": "gone@unodc.example",
              "roles": ["RPSEE.Planner"]}  # fmt: skip
    # an account that signed in before (role from its claim), since deactivated
    signed = sso.sign_in(claims, parse_role_claim("roles", "RPSEE.Planner=planner"),
                         url=_db(sso_app))  # fmt: skip
    accounts.set_active(SYSTEM, signed.username, False, url=_db(sso_app))
    page = context.new_page()
    _sign_in(page, sso_app, "gone")
    expect(page.get_by_text("may not use RPSEE Planner")).to_be_visible(timeout=15000)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    assert _audit(sso_app, signed.username)[-1].action == "sso_login_refused"


REFUSAL = {
    "signature": "the answer's signature does not match the identity provider's keys",
    "expired": "the answer has expired",
    "audience": "the answer was issued for another application",
}
