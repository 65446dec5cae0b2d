from datetime import datetime, timedelta

from rpsee.domain.accounts import (
    LoginState,
    check_password,
    check_username,
    is_locked,
    register_failure,
    register_success,
    session_is_valid,
)

T0 = datetime(2026, 11, 23, 9, 0, 0)
LOCK = timedelta(minutes=15)


def test_five_failures_lock_for_fifteen_minutes_then_release() -> None:
    state = LoginState(active=True, failed_logins=0, locked_until=None)
    for i in range(4):
        out = register_failure(state, T0 + timedelta(seconds=i), 5, LOCK)
        assert not out.locked_now
        state = out.state
    assert state.failed_logins == 4
    out = register_failure(state, T0 + timedelta(seconds=5), 5, LOCK)
    assert out.locked_now
    assert out.state.locked_until == T0 + timedelta(seconds=5) + LOCK
    assert is_locked(out.state, T0 + timedelta(minutes=10))
    assert not is_locked(out.state, T0 + timedelta(minutes=16))
    # after the lock expires, one more failure starts a fresh count instead of re-locking
    again = register_failure(out.state, T0 + timedelta(minutes=16), 5, LOCK)
    assert not again.locked_now and again.state.failed_logins == 1


def test_success_clears_the_count() -> None:
    state = LoginState(True, 3, None)
    assert register_success(state) == LoginState(True, 0, None)


def test_session_validity() -> None:
    assert session_is_valid(True, None, T0)
    assert session_is_valid(True, T0, T0 + timedelta(seconds=1))
    assert not session_is_valid(True, T0, T0)  # opened at the moment of revocation: ended
    assert not session_is_valid(True, T0 + timedelta(hours=1), T0)
    assert not session_is_valid(False, None, T0)


def test_password_and_username_rules() -> None:
    assert check_password("short1!") is not None
    assert check_password("onlyletterslong") is not None
    assert check_password("jdoe-secret-2026", "jdoe") is not None
    assert check_password("rpsee-demo-2026", "demo.planner") is None
    assert check_username("demo.planner") is None
    assert check_username("Bad Name") is not None
    assert check_username("") is not None
