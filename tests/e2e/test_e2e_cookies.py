"""A login cookie the app would not issue now shows the login form, never an exception page."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path

import jwt
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import settled


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _cookies(state: str) -> dict[str, str]:
    key = (Path(state) / "cookie_key").read_text().strip()
    later = time.time() + 3600
    return {
        "a deleted user, signed with the real key": jwt.encode(
            {"username": "gone.user", "exp_date": later}, key, algorithm="HS256"),
        "alg=none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}."
                    f"{_b64({'username': 'demo.admin', 'exp_date': later})}.",
        "no expiry": jwt.encode({"username": "demo.admin"}, key, algorithm="HS256"),
        "not a token": "<script>x</script>",
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["a deleted user, signed with the real key", "alg=none",
                                  "no expiry", "not a token"])  # fmt: skip
def test_a_bad_cookie_gives_the_login_form(server, browser, kind: str) -> None:
    warm = browser.new_context()
    first = warm.new_page()
    first.goto(server.url)
    settled(first)  # the app has made its cookie key by now
    warm.close()
    name = "rpsee_auth_" + hashlib.sha256(server.state.encode()).hexdigest()[:8]
    host = server.url.split("//", 1)[1].split(":", 1)[0]
    ctx = browser.new_context()
    ctx.add_cookies([{"name": name, "value": _cookies(server.state)[kind], "domain": host,
                      "path": "/"}])  # fmt: skip
    page = ctx.new_page()
    page.goto(server.url)
    settled(page)
    expect(page.get_by_role("textbox", name="Username")).to_be_visible(timeout=30000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    ctx.close()
