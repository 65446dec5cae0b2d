"""Settings read from the environment: database, mode, data folder, cookie key."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rpsee.domain.sso import RoleClaim

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
MIN_COOKIE_KEY_BYTES = 32


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def state_dir() -> Path:
    """Folder outside the git tree for the SQLite file and the demo cookie key.

    `RPSEE_STATE_DIR` wins; otherwise one folder per checkout under the user's data home,
    so two checkouts side by side never share a database.
    """
    explicit = os.environ.get("RPSEE_STATE_DIR")
    if explicit:
        path = Path(explicit)
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        tag = hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]
        path = base / "rpsee-planner" / f"{ROOT.name}-{tag}"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _owner_only(path, 0o700)
    return path


def _owner_only(path: Path, mode: int) -> None:
    """Tighten `path` to `mode` (0700 folder, 0600 file) if it is ours and looser than that.

    A shared folder (sticky bit, like /tmp) or one owned by someone else is left alone.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    if st.st_uid != os.getuid() or st.st_mode & stat.S_ISVTX:
        return
    if stat.S_IMODE(st.st_mode) & ~mode:
        os.chmod(path, stat.S_IMODE(st.st_mode) & mode)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    from sqlalchemy.engine import make_url  # here: the settings are read before SQLAlchemy loads

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def secure_database_file(url: str) -> None:
    """Create a SQLite database file readable by its owner only, and tighten an existing one
    (with its -wal, -shm and -journal files) to 0600."""
    path = sqlite_path(url)
    if path is None:
        return
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        _owner_only(path.with_name(path.name + suffix), 0o600)


def display_url(url: str) -> str:
    """The database URL as it may be printed or shown: the password masked."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001  not a URL at all: show nothing of it
        return "(unreadable database URL)"


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    return f"sqlite:///{state_dir() / 'rpsee.sqlite'}"


def mode() -> str:
    """`demo` (default: demo users and data) or `production`."""
    value = os.environ.get("RPSEE_MODE", "demo").strip().lower()
    if value not in {"demo", "production"}:
        raise ConfigError(f"RPSEE_MODE must be 'demo' or 'production', not {value!r}.")
    return value


def is_production() -> bool:
    return mode() == "production"


def check_cookie_key(key: str | None, source: str) -> str:
    if not key:
        raise ConfigError(
            f"No cookie signing key: set RPSEE_COOKIE_KEY or [auth] cookie_key in {source}."
        )
    if len(key.encode()) < MIN_COOKIE_KEY_BYTES:
        raise ConfigError(
            f"The cookie signing key must be at least {MIN_COOKIE_KEY_BYTES} bytes long."
        )
    return key


def secrets_file_cookie_key() -> str | None:
    """`[auth] cookie_key` of the project's `.streamlit/secrets.toml`, if there is one."""
    path = ROOT / ".streamlit" / "secrets.toml"
    if not path.exists():
        return None
    with path.open("rb") as fh:
        value = tomllib.load(fh).get("auth", {}).get("cookie_key")
    return str(value) if value else None


def cookie_key(secrets_value: str | None = None) -> str:
    """The login cookie's signing key.

    Production: from the environment or Streamlit secrets, else refuse to start.
    Demo: the same sources, else a random key generated once and kept in the state folder.
    """
    key = os.environ.get("RPSEE_COOKIE_KEY") or secrets_value or secrets_file_cookie_key()
    if key or is_production():
        return check_cookie_key(key, ".streamlit/secrets.toml")
    path = state_dir() / "cookie_key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
    return check_cookie_key(path.read_text().strip(), str(path))


@dataclass(frozen=True)
class LoginPolicy:
    """Lockout after repeated failures; session time-outs (the login cookie lives as long as
    the longest session allows)."""

    max_failures: int = 5
    lockout_minutes: int = 15
    idle_minutes: int = 60
    max_session_hours: int = 12

    @property
    def cookie_expiry_days(self) -> float:
        return self.max_session_hours / 24


LOGIN_POLICY = LoginPolicy(
    max_failures=int(os.environ.get("RPSEE_MAX_LOGIN_FAILURES", "5")),
    lockout_minutes=int(os.environ.get("RPSEE_LOCKOUT_MINUTES", "15")),
    idle_minutes=int(os.environ.get("RPSEE_SESSION_IDLE_MINUTES", "60")),
    max_session_hours=int(os.environ.get("RPSEE_SESSION_MAX_HOURS", "12")),
)


# Single sign-on (OpenID Connect, Streamlit's `st.login`): `[auth]` in Streamlit's secrets.
SSO_PROVIDER_KEYS = ("client_id", "server_metadata_url")
MIN_SSO_COOKIE_SECRET_BYTES = 32


def secrets_files() -> list[Path]:
    """Where Streamlit reads secrets, in its order (later files win): `STREAMLIT_SECRETS_FILES`
    (whitespace-separated) if set, else the user's and the working folder's
    `.streamlit/secrets.toml`; the checkout's own is read as well (`python -m rpsee` runs there)."""
    explicit = os.environ.get("STREAMLIT_SECRETS_FILES", "").split()
    if explicit:
        return [Path(p) for p in explicit]
    home = Path.home() / ".streamlit" / "secrets.toml"
    here = Path.cwd() / ".streamlit" / "secrets.toml"
    root = ROOT / ".streamlit" / "secrets.toml"
    return list(dict.fromkeys([home, root, here]))


def auth_secrets() -> dict:
    """The `[auth]` section of the secrets files (empty when there is none)."""
    section: dict = {}
    for path in secrets_files():
        if path.is_file():
            with path.open("rb") as fh:
                section.update(tomllib.load(fh).get("auth", {}) or {})
    return section


def sso_configured(auth: dict | None = None) -> bool:
    """Whether single sign-on is set up: `[auth]` names an identity provider (directly or in a
    named provider's sub-section)."""
    auth = auth_secrets() if auth is None else auth
    sections = [auth, *(v for v in auth.values() if isinstance(v, dict))]
    return any(any(s.get(k) for k in SSO_PROVIDER_KEYS) for s in sections)


def sso_problems(auth: dict | None = None) -> list[str]:
    """What is missing for single sign-on in production (empty when it is not configured)."""
    auth = auth_secrets() if auth is None else auth
    if not sso_configured(auth):
        return []
    problems = []
    secret = str(auth.get("cookie_secret") or "")
    if len(secret.encode()) < MIN_SSO_COOKIE_SECRET_BYTES:
        problems.append(
            "Single sign-on is configured but [auth] cookie_secret is missing or shorter than "
            f"{MIN_SSO_COOKIE_SECRET_BYTES} bytes (it signs Streamlit's identity cookie): set a "
            "random one, e.g. `python -c \"import secrets; print(secrets.token_urlsafe(48))\"`."
        )
    if not str(auth.get("redirect_uri") or "").endswith("/oauth2callback"):
        problems.append("Single sign-on is configured but [auth] redirect_uri is missing or does "
                        "not end with /oauth2callback.")  # fmt: skip
    try:
        import authlib.integrations.starlette_client  # noqa: F401  (Authlib and httpx)
    except ImportError:
        problems.append("Single sign-on is configured but Authlib is not installed "
                        "(pip install 'Authlib>=1.3.2' httpx).")  # fmt: skip
    try:
        sso_role_claim()
    except ValueError as exc:
        problems.append(str(exc))
    return problems


def sso_role_claim() -> RoleClaim:
    """The role claim setting: `RPSEE_SSO_ROLE_CLAIM` (e.g. `roles`) and `RPSEE_SSO_ROLE_MAP`
    (e.g. `RPSEE.Planner=planner,RPSEE.Finance=finance,RPSEE.Admin=admin`)."""
    from rpsee.domain.sso import parse_role_claim

    return parse_role_claim(os.environ.get("RPSEE_SSO_ROLE_CLAIM", ""),
                            os.environ.get("RPSEE_SSO_ROLE_MAP", ""))  # fmt: skip
