"""`python -m rpsee check` with single sign-on: the break-glass administrator reported, other
local accounts warned about, production refused without a cookie secret."""

from __future__ import annotations

from pathlib import Path

from rpsee.__main__ import main
from rpsee.services.bootstrap import production_problems

SECRETS = """[auth]
redirect_uri = "https://planner.example.org/oauth2callback"
{cookie}client_id = "00000000-0000-0000-0000-000000000000"
client_secret = "from-the-app-registration"
server_metadata_url = "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration"
"""


def _secrets(tmp_path: Path, monkeypatch, cookie: str) -> None:  # noqa: ANN001
    path = tmp_path / "secrets.toml"
    path.write_text(SECRETS.format(cookie=cookie))
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(path))


def test_check_reports_sso_and_the_break_glass_admin(empty_db: str, tmp_path: Path, monkeypatch,
                                                     capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", empty_db)
    monkeypatch.setenv("RPSEE_MODE", "production")
    monkeypatch.setenv("RPSEE_COOKIE_KEY", "x" * 40)
    monkeypatch.setenv("RPSEE_NEW_PASSWORD", "Tirana-2026!")
    _secrets(tmp_path, monkeypatch, cookie="")
    assert main(["users", "add", "chief", "--role", "admin", "--name", "Chief"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 1  # no cookie secret: production may not start
    out = capsys.readouterr().out
    assert "SSO configured; 1 local account: break-glass administrator chief." in out
    assert "cookie_secret is missing" in out and "Not ready for production mode." in out
    assert any("cookie_secret" in p for p in production_problems(empty_db))  # `serve` refuses too
    _secrets(tmp_path, monkeypatch, cookie='cookie_secret = "short"\n')
    assert any("cookie_secret" in p for p in production_problems(empty_db))
    _secrets(tmp_path, monkeypatch, cookie=f'cookie_secret = "{"s" * 48}"\n')
    assert main(["check"]) == 0
    assert "Ready for production mode." in capsys.readouterr().out
    assert main(["users", "add", "planner.one", "--role", "planner", "--name", "P"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0  # a warning, not a refusal
    out = capsys.readouterr().out
    assert "SSO configured; 2 local accounts: chief, planner.one." in out
    assert "Warning: with single sign-on, keep one local account" in out


def test_a_bad_role_mapping_blocks_production(empty_db: str, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("RPSEE_MODE", "production")
    _secrets(tmp_path, monkeypatch, cookie=f'cookie_secret = "{"s" * 48}"\n')
    monkeypatch.setenv("RPSEE_SSO_ROLE_CLAIM", "roles")
    monkeypatch.setenv("RPSEE_SSO_ROLE_MAP", "RPSEE.Observer=observer")
    from rpsee.store.migrate import upgrade

    upgrade(empty_db)
    assert any("cannot come from a claim" in p for p in production_problems(empty_db))


def test_without_sso_check_says_so(empty_db: str, tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", empty_db)
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(tmp_path / "none.toml"))
    main(["check"])
    assert "Single sign-on not configured; 0 local accounts" in capsys.readouterr().out
