"""The household viewer's session: one encrypted cookie that holds the credential signed in with.

The cookie holds the token the user pasted (an API token or an OIDC JWT) and a CSRF
secret, encrypted and authenticated with Fernet (AES-128-CBC with HMAC-SHA256, from
``cryptography``) under the service's session key, so the browser can neither read
nor alter it. Every page re-checks the token with the service's
:class:`~familynet.service.authentication.Authenticator`, exactly as a bearer token
on ``/graphql`` is checked: a revoked API token or an expired JWT ends the session
at once. Nothing is kept on the server, so every worker process opens every
session (``familynet serve`` gives all its workers one key).

A session ends after ``idle`` seconds without a page (the cookie is sealed afresh
on every page) and :data:`MAX_SESSION_SECONDS` after sign-in whatever happens.
Signing out deletes the cookie from the browser; a copy taken before would stay
valid until it idles out, since no server-side state can revoke it.

The cookie is ``HttpOnly`` (no script reads it), ``SameSite=Strict`` (no other
site's page sends it), ``Path=/``, and ``Secure`` over HTTPS or when configured.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from familynet.access.auth import AuthenticationError
from familynet.errors import FamilynetError
from familynet.service.authentication import Authenticator

log = logging.getLogger(__name__)

COOKIE = "familynet_session"
#: A session ends this long after sign-in, however busy.
MAX_SESSION_SECONDS = 12 * 3600
#: Browsers keep cookies of up to 4096 bytes; a longer token cannot be kept in a session.
MAX_COOKIE_BYTES = 4000


class SessionError(FamilynetError):
    """A session cannot be made: the token is too long to keep in a cookie."""


@dataclass(frozen=True)
class Session:
    """What the cookie holds: the credential (None before sign-in), the CSRF secret, the sign-in time."""

    token: str | None
    csrf: str
    since: float

    @classmethod
    def anonymous(cls, now: float) -> Session:
        """A session before sign-in: it only guards the sign-in form."""
        return cls(None, secrets.token_urlsafe(32), now)

    def signed_in(self, token: str, now: float) -> Session:
        """The session after signing in with ``token``: a fresh CSRF secret, so none seen before sign-in works."""
        return Session(token, secrets.token_urlsafe(32), now)

    def accepts(self, csrf: str | None) -> bool:
        """Whether a form's CSRF field is this session's secret (compared in constant time)."""
        return csrf is not None and hmac.compare_digest(csrf.encode(), self.csrf.encode())


def _fernet_key(secret: str | None) -> bytes:
    if secret is None:
        return Fernet.generate_key()
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())


class SessionCodec:
    """Seals sessions into cookie values and opens them again.

    >>> now = [1_000_000.0]
    >>> codec = SessionCodec("k" * 32, idle=60, clock=lambda: now[0])
    >>> sealed = codec.seal(Session("fn_x", "c", now[0]))
    >>> codec.open(sealed).token, codec.open(sealed[:-2] + "AA"), codec.open(None)
    ('fn_x', None, None)
    >>> now[0] += 61
    >>> codec.open(sealed) is None
    True
    >>> old = codec.seal(Session("fn_x", "c", now[0] - MAX_SESSION_SECONDS - 1))
    >>> codec.open(old) is None  # fresh, but signed in too long ago
    True
    """

    def __init__(self, secret: str | None, *, idle: int, clock: Callable[[], float] = time.time) -> None:
        self._fernet = Fernet(_fernet_key(secret))
        self.idle = idle
        self.clock = clock

    def seal(self, session: Session) -> str:
        """The cookie value of ``session``; :class:`SessionError` if too long for a cookie."""
        payload = json.dumps({"token": session.token, "csrf": session.csrf, "since": session.since})
        sealed = self._fernet.encrypt_at_time(payload.encode(), int(self.clock())).decode()
        if len(sealed) + len(COOKIE) > MAX_COOKIE_BYTES:
            raise SessionError("the token is too long to keep in a session cookie")
        return sealed

    def open(self, value: str | None) -> Session | None:
        """The session of a cookie value; None if absent, altered, idle too long or too old."""
        if not value:
            return None
        now = self.clock()
        try:
            payload = json.loads(self._fernet.decrypt_at_time(value.encode(), self.idle, int(now)))
            session = Session(payload["token"], str(payload["csrf"]), float(payload["since"]))
        except (InvalidToken, ValueError, KeyError, TypeError):
            return None
        return session if now - session.since <= MAX_SESSION_SECONDS else None

    def now(self) -> float:
        """The codec's clock."""
        return self.clock()


class ViewerSessionMiddleware:
    """For the viewer's pages: the session in ``state["session"]`` and, when its token
    authenticates, the caller in ``state["principal"]`` (so the rate limit applies by user).

    A session whose token no longer authenticates is dropped (the pages then ask to sign
    in again); the reason goes to the server log only, as for a bearer token.
    """

    def __init__(self, app: ASGIApp, *, codec: SessionCodec, is_page: Callable[[Scope], bool]) -> None:
        self.app = app
        self.codec = codec
        self.is_page = is_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.is_page(scope):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        cookies = cookie_parser(Headers(scope=scope).get("cookie", ""))
        session = self.codec.open(cookies.get(COOKIE))
        if session is not None and session.token is not None:
            authenticator: Authenticator = state["authenticator"]
            try:
                state["principal"] = await authenticator.principal(session.token)
            except AuthenticationError as error:
                log.info("session authentication failed: %s [correlation id %s]", error, state.get("correlation_id"))
                session = None
        state["session"] = session
        await self.app(scope, receive, send)
