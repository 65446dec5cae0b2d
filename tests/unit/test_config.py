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
