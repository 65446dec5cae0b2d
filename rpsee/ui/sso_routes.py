"""Two adjustments to Streamlit's single sign-on routes (Streamlit 1.67, Starlette server,
`streamlit/web/server/starlette/starlette_auth_routes.py`), installed by `rpsee serve`:

- The callback (`/oauth2callback`): when Authlib refuses the identity provider's answer (bad
  signature, expired ID token, wrong audience, ...) or the provider reports an error, Streamlit
  only redirects to the app's home without a word. Here the refusal is audited
  (`sso_login_refused`, with Authlib's reason) and the redirect says why
  (`/?sso=refused&why=signature|expired|audience|provider|other`), so the login page can tell
  the user. No session is created either way: Streamlit sets no identity cookie.
- Logout (`/auth/logout`): Streamlit sends the browser on to the provider's end-session
  endpoint, which would end the person's whole Microsoft session. The app ends only its own
  session (the identity cookie is deleted, and `rpsee.ui.auth` revokes the account's sessions)
  and redirects to `/?sso=signed-out`, where the login page says the provider's session remains.
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

log = logging.getLogger(__name__)
_failure: contextvars.ContextVar[list[BaseException] | None] = contextvars.ContextVar(
    "rpsee_sso_failure", default=None
)
_installed = False


def refusal_kind(exc: BaseException | None) -> str:
    """A short, fixed word for why Authlib refused the answer (shown via a fixed text)."""
    if exc is None:
        return "other"
    text = f"{type(exc).__name__} {exc}".lower()
    if "signature" in text:
        return "signature"
    if "expired" in text:
        return "expired"
    # Authlib checks the audience through `azp`: an ID token for another client without `azp`
    # is refused as "missing azp" (rpsee.domain.sso.audience_matches checks `aud` itself)
    if any(word in text for word in ('"aud"', "'aud'", "audience", "azp")):
        return "audience"
    return "other"


def _signed_in(response: Any, cookie_name: str) -> bool:
    """Whether the response sets Streamlit's identity cookie (not merely deletes it)."""
    for header in response.headers.getlist("set-cookie"):
        name, _, rest = header.partition("=")
        if name == cookie_name and not rest.startswith('""') and "max-age=0" not in rest.lower():
            return True
    return False


def install() -> None:
    """Wrap Streamlit's callback and logout-URL functions (once per process)."""
    global _installed
    if _installed:
        return
    from starlette.concurrency import run_in_threadpool
    from streamlit.url_util import make_url_path
    from streamlit.web.server.starlette import starlette_auth_routes as routes
    from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

    original_callback = routes._auth_callback
    original_client = routes._create_oauth_client

    def create_client(provider: str) -> tuple[Any, str]:
        client, redirect_uri = original_client(provider)
        exchange = client.authorize_access_token

        async def authorize_access_token(*args: Any, **kwargs: Any) -> Any:
            try:
                return await exchange(*args, **kwargs)
            except Exception as exc:
                seen = _failure.get()
                if seen is not None:
                    seen.append(exc)
                raise

        client.authorize_access_token = authorize_access_token
        return client, redirect_uri

    async def callback(request: Any, base_url: str) -> Any:
        failures: list[BaseException] = []
        token = _failure.set(failures)
        try:
            response = await original_callback(request, base_url)
        finally:
            _failure.reset(token)
        error = request.query_params.get("error")
        if _signed_in(response, USER_COOKIE_NAME) or not (failures or error):
            return response  # signed in, or a stale callback (back button): nothing to say
        kind = "provider" if error else refusal_kind(failures[-1])
        detail = (f"{error}: {request.query_params.get('error_description') or ''}" if error
                  else f"{type(failures[-1]).__name__}: {failures[-1]}")  # fmt: skip
        try:
            from rpsee.services.sso import record_refusal

            await run_in_threadpool(record_refusal, kind, detail)
        except Exception:  # the refusal stands even if the audit cannot be written
            log.exception("Could not audit a refused single sign-on")
        response.headers["location"] = make_url_path(base_url, "/") + f"?sso=refused&why={kind}"
        return response

    async def provider_logout_url(request: Any) -> str | None:  # noqa: ARG001
        return make_url_path(_base_url(), "/") + "?sso=signed-out"

    routes._create_oauth_client = create_client
    routes._auth_callback = callback
    routes._get_provider_logout_url = provider_logout_url
    _installed = True


def _base_url() -> str:
    from streamlit import config

    return str(config.get_option("server.baseUrlPath") or "")
