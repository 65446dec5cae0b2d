import pytest

from rpsee import config


def test_demo_generates_a_random_key_once_and_keeps_it(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("RPSEE_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("RPSEE_COOKIE_KEY", raising=False)
    monkeypatch.delenv("RPSEE_MODE", raising=False)
    key = config.cookie_key()
    assert len(key.encode()) >= 32 and key != "some_key"
    assert config.cookie_key() == key
    assert (tmp_path / "cookie_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    other = tmp_path / "other"
    monkeypatch.setenv("RPSEE_STATE_DIR", str(other))
    assert config.cookie_key() != key


def test_production_needs_a_long_key(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("RPSEE_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("RPSEE_MODE", "production")
    monkeypatch.delenv("RPSEE_COOKIE_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="No cookie signing key"):
        config.cookie_key()
    assert not (tmp_path / "cookie_key").exists()
    with pytest.raises(config.ConfigError, match="32 bytes"):
        config.cookie_key("short")
    assert config.cookie_key("s" * 32) == "s" * 32


def test_database_url(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    monkeypatch.setenv("RPSEE_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url() == f"sqlite:///{tmp_path / 'rpsee.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert config.database_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("RPSEE_MODE", "staging")
    with pytest.raises(config.ConfigError):
        config.mode()


def test_state_folder_and_sqlite_file_are_owner_only(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    state = tmp_path / "state"
    state.mkdir(mode=0o755)
    state.chmod(0o755)  # an existing, too open folder is tightened at start
    monkeypatch.setenv("RPSEE_STATE_DIR", str(state))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = config.database_url()
    assert state.stat().st_mode & 0o777 == 0o700
    db = state / "rpsee.sqlite"
    config.secure_database_file(url)  # created owner-only before SQLite opens it
    assert db.exists() and db.stat().st_mode & 0o777 == 0o600
    db.chmod(0o644)
    wal = state / "rpsee.sqlite-wal"
    wal.write_bytes(b"")
    wal.chmod(0o664)
    config.secure_database_file(url)
    assert db.stat().st_mode & 0o777 == 0o600 and wal.stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "new" / "deeper"
    monkeypatch.setenv("RPSEE_STATE_DIR", str(fresh))
    assert config.state_dir() == fresh and fresh.stat().st_mode & 0o777 == 0o700


def test_a_shared_folder_is_left_alone(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: never tightened
    monkeypatch.setenv("RPSEE_STATE_DIR", str(shared))
    config.state_dir()
    assert shared.stat().st_mode & 0o7777 == 0o1777


def test_database_url_is_shown_without_its_password() -> None:
    shown = config.display_url("postgresql+psycopg://rpsee:s3cr%40t@db.example:5432/rpsee")
    assert "s3cr" not in shown and shown == "postgresql+psycopg://rpsee:***@db.example:5432/rpsee"
    assert config.display_url("sqlite:////var/lib/rpsee.sqlite") == "sqlite:////var/lib/rpsee.sqlite"


def test_streamlit_settings_suit_a_deployment_behind_a_proxy() -> None:
    import tomllib

    settings = tomllib.loads((config.ROOT / ".streamlit" / "config.toml").read_text())
    server, client = settings["server"], settings["client"]
    assert 1 <= server["maxUploadSize"] <= 10  # MB: a workplan workbook is well under that
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["headless"] is True and server.get("enableStaticServing", False) is False
    assert settings["browser"]["gatherUsageStats"] is False
    assert client["showErrorDetails"] == "none"  # no traceback or exception text for users
    assert client["toolbarMode"] in {"minimal", "viewer"}
