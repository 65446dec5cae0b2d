"""Session time-outs and bcrypt's password limit (domain rules)."""

from datetime import datetime, timedelta

from rpsee.domain.accounts import MAX_PASSWORD_BYTES, check_password, session_end_reason

T0 = datetime(2026, 11, 29, 9, 0, 0)
IDLE = timedelta(minutes=60)
ABSOLUTE = timedelta(hours=12)


def test_a_session_goes_on_while_active_and_young() -> None:
    assert session_end_reason(T0, T0 + timedelta(minutes=50), T0 + timedelta(hours=1),
                              IDLE, ABSOLUTE) is None  # fmt: skip


def test_idle_for_longer_than_the_idle_time_ends_it() -> None:
    now = T0 + timedelta(hours=2)
    assert session_end_reason(T0, T0 + timedelta(minutes=59), now, IDLE, ABSOLUTE) == "idle"


def test_activity_does_not_extend_the_absolute_limit() -> None:
    now = T0 + timedelta(hours=12, minutes=1)
    assert session_end_reason(T0, now - timedelta(seconds=5), now, IDLE, ABSOLUTE) == "absolute"


def test_a_password_longer_than_bcrypt_reads_is_refused_not_cut() -> None:
    ascii_long = "Aa1-" * 19  # 76 bytes
    assert "at most 72 bytes (this one is 76" in (check_password(ascii_long) or "")
    # 36 letters of two bytes each: 72 bytes, the limit itself, is accepted
    assert check_password("ž" * 35 + "1") is None
    assert check_password("ž" * 36 + "1") is not None
    assert MAX_PASSWORD_BYTES == 72
