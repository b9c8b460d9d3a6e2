"""Who is calling: every request but the health check carries ``Authorization: Bearer <token>``.

A token beginning ``fn_`` is an API token of a service account, looked up by its
hash in the store; any other token is an OIDC JWT, checked by
:class:`~familynet.access.oidc.OIDCVerifier` when OIDC is configured. A request without
valid credentials gets 401 with a ``WWW-Authenticate`` challenge (RFC 6750) and
the same message whatever was wrong: the reason goes to the server log only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from familynet.access.auth import TOKEN_PREFIX, AuthenticationError, Principal, token_hash
from familynet.access.oidc import OIDCVerifier
from familynet.service.refusal import refusal
from familynet.stores.protocol import Store

log = logging.getLogger(__name__)

CHALLENGE = 'Bearer realm="familynet"'


class Authenticator:
    """Turns a bearer token into a :class:`~familynet.access.auth.Principal`."""

    def __init__(self, store: Store, oidc: OIDCVerifier | None) -> None:
        self.store = store
        self.oidc = oidc

    async def principal(self, token: str) -> Principal:
        """The caller ``token`` names; :class:`AuthenticationError` if it names none."""
        if token.startswith(TOKEN_PREFIX):
            # The store is used from the event loop thread only (see familynet.service.app).
            user = self.store.user_by_token_hash(token_hash(token))
            if user is None:
                raise AuthenticationError("unknown or revoked API token")
            return Principal(user.name, user.role, user.agency_id, "token")
        if self.oidc is None:
            raise AuthenticationError("a bearer token that is not an API token, and OIDC is not configured")
        # Verifying may fetch the provider's keys over the network: not in the event loop.
        return await run_in_threadpool(self.oidc.principal, token)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None.

    >>> bearer_token("Bearer fn_abc"), bearer_token("bearer  x "), bearer_token("Basic dTpw"), bearer_token(None)
    ('fn_abc', 'x', None, None)
    """
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class AuthenticationMiddleware:
    """Put the caller's principal in the request state, or answer 401.

    Requests for which ``is_public`` is true (the health check) need no
    credentials. The authenticator comes from the lifespan state, where the app
    puts it once the store is open. WebSocket connections are refused: the
    service has no subscriptions.
    """

    def __init__(self, app: ASGIApp, *, is_public: Callable[[Scope], bool]) -> None:
        self.app = app
        self.is_public = is_public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http" or self.is_public(scope):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        authenticator: Authenticator = state["authenticator"]
        token = bearer_token(Headers(scope=scope).get("authorization"))
        if token is None:
            await refusal(401, "authentication required", {"WWW-Authenticate": CHALLENGE})(scope, receive, send)
            return
        try:
            state["principal"] = await authenticator.principal(token)
        except AuthenticationError as error:
            # Messages of AuthenticationError name the failed check, never a token or a claim.
            log.info("authentication failed: %s [correlation id %s]", error, state.get("correlation_id"))
            challenge = f'{CHALLENGE}, error="invalid_token"'
            await refusal(401, "invalid credentials", {"WWW-Authenticate": challenge})(scope, receive, send)
            return
        await self.app(scope, receive, send)
