"""Single sign-on rules: role claim mapping, identity from claims, usernames, outcomes."""

from __future__ import annotations

from datetime import datetime

import pytest

from rpsee.domain import sso
from rpsee.domain.roles import Role

CLAIMS = {"iss": "https://login.example/tenant/v2.0", "sub": "abc123", "iat": 1_800_000_000,
          "name": "Jane Doe", "email": "Jane.Doe@unodc.org",
          "preferred_username": "jane.doe@unodc.org"}  # fmt: skip
SETTING = sso.parse_role_claim("roles", "RPSEE.Planner=planner, RPSEE.Finance=finance,"
                               "RPSEE.Admin=admin")  # fmt: skip


def test_the_mapping_is_read_and_bad_settings_are_named() -> None:
    assert SETTING.mapping == {"RPSEE.Planner": Role.PLANNER, "RPSEE.Finance": Role.FINANCE,
                               "RPSEE.Admin": Role.ADMIN}  # fmt: skip
    assert sso.parse_role_claim("", "") == sso.RoleClaim()
    with pytest.raises(sso.SsoSettingError, match="unknown role"):
        sso.parse_role_claim("roles", "X=boss")
    with pytest.raises(sso.SsoSettingError, match="cannot come from a claim"):
        sso.parse_role_claim("roles", "X=observer")  # needs a donor: an administrator gives it
    with pytest.raises(sso.SsoSettingError, match="not 'claim value=role'"):
        sso.parse_role_claim("roles", "planner")
    with pytest.raises(sso.SsoSettingError, match="no claim value maps"):
        sso.parse_role_claim("roles", "")
    with pytest.raises(sso.SsoSettingError, match="no role claim"):
        sso.parse_role_claim("", "X=planner")


def test_the_claim_names_one_role_or_none() -> None:
    assert sso.role_from_claims({"roles": ["RPSEE.Finance"]}, SETTING) is Role.FINANCE
    assert sso.role_from_claims({"roles": "RPSEE.Admin"}, SETTING) is Role.ADMIN
    assert sso.role_from_claims({"roles": ["Other", "RPSEE.Planner"]}, SETTING) is Role.PLANNER
    assert sso.role_from_claims({"roles": ["RPSEE.Planner", "RPSEE.Admin"]}, SETTING) is None
    assert sso.role_from_claims({"roles": ["Other"]}, SETTING) is None
    assert sso.role_from_claims({}, SETTING) is None
    assert sso.role_from_claims({"roles": ["RPSEE.Admin"]}, sso.RoleClaim()) is None  # not set
    assert sso.role_from_claims({"roles": [{"x": 1}]}, SETTING) is None


def test_identity_from_claims() -> None:
    who = sso.identity_from_claims(CLAIMS)
    assert (who.issuer, who.subject, who.name, who.email) == (
        CLAIMS["iss"], "abc123", "Jane Doe", "Jane.Doe@unodc.org")
    assert who.signed_in_at == datetime(2027, 1, 15, 8, 0)
    assert who.login_hint == "jane.doe@unodc.org"
    for missing in ("iss", "sub", "iat"):
        with pytest.raises(sso.IdentityError):
            sso.identity_from_claims({k: v for k, v in CLAIMS.items() if k != missing})
    with pytest.raises(sso.IdentityError):
        sso.identity_from_claims({**CLAIMS, "iat": True})


def test_usernames_fit_the_rule_and_are_numbered_when_taken() -> None:
    who = sso.identity_from_claims(CLAIMS)
    assert sso.username_for(who, []) == "jane.doe"
    assert sso.username_for(who, ["jane.doe"]) == "jane.doe-2"
    assert sso.username_for(who, ["jane.doe", "jane.doe-2"]) == "jane.doe-3"
    odd = sso.identity_from_claims({**CLAIMS, "preferred_username": "Ćiro O'Neil+x@x.org"})
    assert sso.username_for(odd, []) == "iro-o-neil-x"
    short = sso.identity_from_claims({**CLAIMS, "preferred_username": "", "email": "a@b.c"})
    assert sso.username_for(short, []) == "a-sso"
    none = sso.identity_from_claims({**CLAIMS, "preferred_username": "", "email": ""})
    assert sso.username_for(none, []) == "user"
    long = sso.identity_from_claims({**CLAIMS, "preferred_username": "x" * 80})
    assert len(sso.username_for(long, ["x" * 36])) <= 40


def test_outcomes_and_new_sign_ins() -> None:
    assert sso.sign_in_outcome(True, "planner") is sso.Outcome.SIGNED_IN
    assert sso.sign_in_outcome(True, None) is sso.Outcome.PENDING
    assert sso.sign_in_outcome(False, "planner") is sso.Outcome.REFUSED
    assert sso.sign_in_outcome(False, None) is sso.Outcome.REFUSED
    t = datetime(2026, 12, 7, 8, 0)
    assert sso.is_new_sign_in(t, None)
    assert sso.is_new_sign_in(t, datetime(2026, 12, 7, 7, 0))
    assert not sso.is_new_sign_in(t, t)  # the same token in a new browser tab


def test_the_audience_must_name_this_app() -> None:
    assert sso.audience_matches({"aud": "rpsee"}, "rpsee")
    assert sso.audience_matches({"aud": ["other", "rpsee"]}, "rpsee")
    assert not sso.audience_matches({"aud": "other", "azp": "rpsee"}, "rpsee")
    assert not sso.audience_matches({}, "rpsee")
    assert not sso.audience_matches({"aud": ""}, "")
